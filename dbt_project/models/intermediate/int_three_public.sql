-- 三公经费 by category, the year each figure is for, and whether it is the 预算数 a final account prints beside its 决算数.
with cells as (
    select c.*, d.fiscal_year as document_year
    from {{ ref('int_table_cells') }} as c
    inner join {{ ref('stg_documents') }} as d on d.document_id = c.document_id
    where c.kind = 'three_public'
),

-- Some tables print last year beside this year, one row each; the others print one row for the document's year.
year_rows as (
    select document_id, row_number, try_cast(regexp_extract(text, '([0-9]{4})', 1) as integer) as fiscal_year
    from cells
    where column_key = 'year_label'
)

select
    c.document_id,
    coalesce(y.fiscal_year, c.document_year) as fiscal_year,
    split_part(c.column_key, '__', 1) as category,
    ends_with(c.column_key, '__budget') as is_budget,
    c.amount_yuan,
    c.page,
    c.row_number
from cells as c
left join year_rows as y on y.document_id = c.document_id and y.row_number = c.row_number
where
    split_part(c.column_key, '__', 1) in (
        'total', 'overseas_travel', 'reception', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'admin_operation'
    )
    and (y.fiscal_year is not null or not exists (select 1 from year_rows as t where t.document_id = c.document_id))
