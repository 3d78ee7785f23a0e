-- 三公经费 by category, the year each figure is for, the unit a row is printed for, and whether it is the 预算数
-- a final account prints beside its 决算数. A department with several units prints a row per unit and year
-- (the unit's name merged down over its year rows) beside the department's own rows.
with cells as (
    select c.*, d.fiscal_year as document_year, d.entity_name
    from {{ ref('int_table_cells') }} as c
    inner join {{ ref('stg_documents') }} as d on d.document_id = c.document_id
    where c.kind = 'three_public'
),

printed_rows as (
    select
        document_id,
        row_number,
        max(case when column_key = 'entity' then text end) as unit_label,
        max(case when column_key = 'year_label' then text end) as year_label,
        try_cast(regexp_extract(max(case when column_key = 'year_label' then text end), '([0-9]{4})', 1) as integer) as label_year
    from cells
    group by all
),

-- Some tables print last year beside this year, one row each (and a row of the change, which is no year);
-- the others print one row for the document's year.
by_year as (
    select *
    from printed_rows as r
    where r.label_year is not null or not exists (
        select 1 from printed_rows as y where y.document_id = r.document_id and y.year_label is not null
    )
)

select
    c.document_id,
    coalesce(r.label_year, c.document_year) as fiscal_year,
    split_part(c.column_key, '__', 1) as category,
    ends_with(c.column_key, '__budget') as is_budget,
    nullif(r.unit_label, '') as unit_label,
    {{ is_entity_label('r.unit_label', 'c.entity_name') }} as is_entity_row,
    c.amount_yuan,
    c.unit_factor,
    c.decimals,
    c.page,
    c.row_number
from cells as c
inner join by_year as r on r.document_id = c.document_id and r.row_number = c.row_number
where split_part(c.column_key, '__', 1) in (
    'total', 'overseas_travel', 'reception', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'admin_operation'
)
