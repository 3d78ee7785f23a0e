{{ config(materialized='incremental') }}
-- Every printed cell with the meaning of its column, the table's role and its amount in yuan.
select
    c.document_id,
    d.layout,
    c.table_key,
    t.table_no,
    t.title,
    lt.kind,
    lt.fund_scope,
    lt.classification,
    lt.in_facts,
    lt.total_row_pattern,
    c.row_number,
    c.column_index,
    col.column_key,
    col.header_label,
    col.is_amount,
    c.page,
    c.printed,
    c.text,
    t.unit_factor,
    t.decimals,
    case when col.is_amount then {{ to_yuan('c.printed_amount', 't.unit_factor') }} end as amount_yuan,
    c.x0,
    c.y0,
    c.x1,
    c.y1,
    c.carried
from {{ batch_of('stg_table_cells') }} as c
inner join {{ batch_of('stg_documents') }} as d on d.document_id = c.document_id
inner join {{ batch_of('stg_tables') }} as t on t.document_id = c.document_id and t.table_key = c.table_key
inner join {{ batch_of('stg_table_columns') }} as col
    on col.document_id = c.document_id and col.table_key = c.table_key and col.column_index = c.column_index
left join {{ ref('table_vocabulary') }} as lt on lt.table_key = c.table_key
