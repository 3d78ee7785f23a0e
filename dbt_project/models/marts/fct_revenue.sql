{{ config(materialized='incremental') }}
-- Revenue by fund source: the document's own total row of its revenue table.
with own_row as (
    select document_id, min(row_number) as row_number
    from {{ batch_of('int_fund_source_amounts') }}
    where kind = 'revenue' and is_entity_row
    group by document_id
)

select
    f.document_id,
    d.fiscal_year,
    d.entity_name,
    f.fund_source_code,
    f.amount_yuan,
    f.page,
    d.entity_id
from {{ batch_of('int_fund_source_amounts') }} as f
inner join own_row as o on o.document_id = f.document_id and o.row_number = f.row_number
inner join {{ batch_of('int_document_entities') }} as d on d.document_id = f.document_id
where f.kind = 'revenue'
