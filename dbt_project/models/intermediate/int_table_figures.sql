{{ config(materialized='incremental') }}
-- Every printed amount with the ways a check can address it: the table's total row, a code, a row name,
-- a 类|款|项 name path (how the prose names a function item), a year.
with coded as (
    select document_id, table_key, code, name
    from {{ batch_of('int_table_rows') }}
    where regexp_full_match(coalesce(code, ''), '[0-9]{3}([0-9]{2}){0,2}')
)

select
    c.document_id,
    c.table_key,
    c.table_no,
    c.row_number,
    c.column_key,
    c.amount_yuan,
    c.unit_factor,
    c.decimals,
    c.page,
    r.code,
    r.name,
    r.entity_label,
    case when length(r.code) = 7 then concat_ws('|', k.name, s.name, r.name) end as name_path,
    r.is_table_total,
    try_cast(regexp_extract(r.year_label, '([0-9]{4})', 1) as integer) as fiscal_year
from {{ batch_of('int_table_cells') }} as c
inner join {{ batch_of('int_table_rows') }} as r
    on r.document_id = c.document_id and r.table_key = c.table_key and r.row_number = c.row_number
left join coded as k on k.document_id = r.document_id and k.table_key = r.table_key and k.code = left(r.code, 3)
left join coded as s on s.document_id = r.document_id and s.table_key = r.table_key and s.code = left(r.code, 5)
where c.is_amount
