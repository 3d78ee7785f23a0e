-- 三公经费 by category and the year each figure is for (the table prints last year beside this year).
with year_rows as (
    select
        document_id,
        row_number,
        try_cast(regexp_extract(text, '([0-9]{4})', 1) as integer) as fiscal_year
    from {{ ref('int_table_cells') }}
    where kind = 'three_public' and column_key = 'year_label'
)

select
    c.document_id,
    y.fiscal_year,
    c.column_key as category,
    c.amount_yuan,
    c.page,
    c.row_number
from {{ ref('int_table_cells') }} as c
inner join year_rows as y on y.document_id = c.document_id and y.row_number = c.row_number
where
    c.kind = 'three_public'
    and c.column_key in ('total', 'overseas_travel', 'reception', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation')
    and y.fiscal_year is not null
