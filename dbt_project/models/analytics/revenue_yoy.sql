-- Revenue of each entity by fund source beside the same entity's revenue the year before.
{% set items %}
    select document_id, fund_source_code, amount_yuan from {{ ref('fct_revenue') }}
{% endset %}
{{ year_on_year(items, keys=['fund_source_code']) }}
