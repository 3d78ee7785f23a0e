{{ config(materialized='incremental') }}
-- 年度绩效指标: one row per indicator; spanned 一级/二级 labels carried down as printed once.
with printed as (
    select
        document_id,
        row_number,
        min(page) as page,
        nullif(max(case when column_key = 'level1' then text end), '') as level1,
        nullif(max(case when column_key = 'level2' then text end), '') as level2,
        max(case when column_key = 'indicator' then text end) as indicator,
        max(case when column_key = 'target' then text end) as target
    from {{ batch_of('int_table_cells') }}
    where kind = 'performance_indicators'
    group by all
)

select
    p.document_id,
    d.fiscal_year,
    last_value(p.level1 ignore nulls) over rows_so_far as level1,
    last_value(p.level2 ignore nulls) over rows_so_far as level2,
    p.indicator,
    p.target,
    p.page,
    p.row_number,
    d.entity_id,
    d.entity_name
from printed as p
inner join {{ batch_of('int_document_entities') }} as d on d.document_id = p.document_id
window rows_so_far as (partition by p.document_id order by p.row_number rows between unbounded preceding and current row)
