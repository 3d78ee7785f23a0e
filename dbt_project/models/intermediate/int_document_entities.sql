-- Which entity each document is of: the same region, name and scope in any year (known renames mapped to the
-- canonical name first) is one entity_id. Documents whose entity could not be read have none.
with documents as (
    select
        document_id,
        fiscal_year,
        document_type,
        scope,
        entity_name,
        region,
        {{ name_for_identity('region') }} as region_key,
        {{ name_for_identity('entity_name') }} as name_key
    from {{ ref('stg_documents') }}
),

renames as (
    select
        {{ name_for_identity('region') }} as region_key,
        {{ name_for_identity('name') }} as name_key,
        {{ name_for_identity('canonical_name') }} as canonical_key
    from {{ ref('entity_renames') }}
)

select
    d.document_id,
    d.fiscal_year,
    d.document_type,
    d.scope,
    d.entity_name,
    d.region,
    case when d.name_key <> '' then {{ entity_id('d.region_key', 'coalesce(r.canonical_key, d.name_key)', 'd.scope') }} end as entity_id
from documents as d
left join renames as r on r.region_key = d.region_key and r.name_key = d.name_key
