-- One row per entity (a department or unit of a government, in one scope), followed across years and renames.
with documents as (
    select e.entity_id, e.entity_name, e.region, e.scope, e.fiscal_year, e.document_type, d.extracted_at, e.document_id
    from {{ ref('int_document_entities') }} as e
    inner join {{ ref('stg_documents') }} as d on d.document_id = e.document_id
    where e.entity_id is not null
),

latest as (
    select entity_id, entity_name, region
    from documents
    qualify row_number() over (partition by entity_id order by fiscal_year desc nulls last, extracted_at desc, document_id) = 1
),

names as (
    select entity_id, list(entity_name order by first_printed nulls last, entity_name) as names_seen
    from (select entity_id, entity_name, min(fiscal_year) as first_printed from documents group by all)
    group by entity_id
)

select
    l.entity_id,
    l.entity_name,
    l.region,
    any_value(d.scope) as scope,
    n.names_seen,
    cast(min(d.fiscal_year) as integer) as first_year,
    cast(max(d.fiscal_year) as integer) as last_year,
    list(distinct d.fiscal_year order by d.fiscal_year) filter (where d.document_type = 'budget') as budget_years,
    list(distinct d.fiscal_year order by d.fiscal_year) filter (where d.document_type = 'final_account') as final_account_years,
    cast(count(*) as integer) as document_count
from latest as l
inner join names as n on n.entity_id = l.entity_id
inner join documents as d on d.entity_id = l.entity_id
group by l.entity_id, l.entity_name, l.region, n.names_seen
