{{ config(materialized='incremental') }}
-- Every printed cell with its page and box: the provenance behind every figure in the marts.
select
    document_id,
    table_key,
    title as table_title,
    row_number,
    column_index,
    header_label,
    column_key,
    printed,
    amount_yuan,
    page,
    x0,
    y0,
    x1,
    y1,
    d.entity_id,
    d.entity_name
from {{ batch_of('int_table_cells') }} as c
inner join {{ batch_of('int_document_entities') }} as d using (document_id)
