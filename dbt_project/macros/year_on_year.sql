{# Each document's items beside the same entity's items of the year before, from a document of the same type: a
   budget beside the previous budget, a final account beside the previous final account, never one beside the other.
   `items` selects document_id, the `keys` that identify an item within a document, `attributes` shown with it
   (this year's where printed, else last year's) and amount_yuan. Items printed in one of the two years only have
   the other amount null; previous_document_id is null when the entity has no document of that type the year before.
   An entity with two documents of one type and year (a corrected PDF beside the first) is read from the latest
   extracted. #}
{% macro year_on_year(items, keys, attributes=[]) %}
with items as (
    {{ items }}
),

documents as (
    select document_id, entity_id, entity_name, region, document_type, fiscal_year
    from {{ ref('dim_document') }}
    where status <> 'rejected' and entity_id is not null and fiscal_year is not null
    qualify row_number() over (partition by entity_id, document_type, fiscal_year order by extracted_at desc, document_id) = 1
),

pairs as (
    select c.*, p.document_id as previous_document_id
    from documents as c
    left join documents as p
        on p.entity_id = c.entity_id and p.document_type = c.document_type and p.fiscal_year = c.fiscal_year - 1
),

current_items as (
    select i.* from items as i where i.document_id in (select document_id from pairs)
),

previous_items as (
    select p.document_id as current_document_id, i.*
    from pairs as p
    inner join items as i on i.document_id = p.previous_document_id
),

compared as (
    select
        coalesce(c.document_id, v.current_document_id) as document_id,
        {%- for column in keys + attributes %}
        coalesce(c.{{ column }}, v.{{ column }}) as {{ column }},
        {%- endfor %}
        c.amount_yuan,
        v.amount_yuan as previous_yuan
    from current_items as c
    full outer join previous_items as v
        on v.current_document_id = c.document_id
        {%- for key in keys %}
        and v.{{ key }} is not distinct from c.{{ key }}
        {%- endfor %}
)

select
    p.entity_id,
    p.entity_name,
    p.region,
    p.document_type,
    p.fiscal_year,
    {%- for column in keys + attributes %}
    x.{{ column }},
    {%- endfor %}
    x.amount_yuan,
    x.previous_yuan,
    cast(x.amount_yuan - x.previous_yuan as decimal(20, 2)) as change_yuan,
    round((x.amount_yuan - x.previous_yuan) / nullif(x.previous_yuan, 0), 4) as change_rate,
    p.document_id,
    p.previous_document_id
from compared as x
inner join pairs as p on p.document_id = x.document_id
{% endmacro %}
