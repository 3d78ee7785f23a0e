-- Spending of each entity by subject and measure beside the same entity's spending the year before.
{% set items %}
    {%- for measure in ['total', 'basic', 'project'] %}
    select document_id, fund_scope, classification, subject_code, subject_name, level, '{{ measure }}' as measure, {{ measure }}_yuan as amount_yuan
    from {{ ref('fct_expenditure') }}
    where {{ measure }}_yuan is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endset %}
{{ year_on_year(items, keys=['fund_scope', 'classification', 'subject_code', 'measure'], attributes=['subject_name', 'level']) }}
