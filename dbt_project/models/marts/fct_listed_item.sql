{{ config(materialized='incremental') }}
-- Rows of the list tables: 政府采购 (procurement) and 上级专项转移支付 (superior transfers), entity rows excluded.
select
    r.document_id,
    d.fiscal_year,
    r.kind as list_kind,
    r.code,
    r.name,
    r.total_yuan as amount_yuan,
    r.page,
    r.row_number,
    d.entity_id,
    d.entity_name
from {{ batch_of('int_table_rows') }} as r
inner join {{ batch_of('int_document_entities') }} as d on d.document_id = r.document_id
where r.kind in ('procurement', 'transfer') and (nullif(r.code, '') is not null or nullif(r.name, '') is not null)
