-- Every printed amount with the ways a check can address it: the table's total row, a code, a row name, a year.
select
    c.document_id,
    c.table_key,
    c.table_no,
    c.row_number,
    c.column_key,
    c.amount_yuan,
    c.unit_factor,
    c.page,
    r.code,
    r.name,
    r.is_table_total,
    try_cast(regexp_extract(r.year_label, '([0-9]{4})', 1) as integer) as fiscal_year
from {{ ref('int_table_cells') }} as c
inner join {{ ref('int_table_rows') }} as r
    on r.document_id = c.document_id and r.table_key = c.table_key and r.row_number = c.row_number
where c.is_amount
