{{ config(materialized='incremental') }}
-- 整体支出绩效目标表: the year's main tasks with their budgets.
with tasks as (
    select
        document_id,
        row_number,
        min(page) as page,
        max(case when column_key = 'task_name' then text end) as task_name,
        max(case when column_key = 'task_content' then text end) as task_content,
        max(case when column_key = 'total' then amount_yuan end) as total_yuan,
        max(case when column_key = 'fiscal' then amount_yuan end) as fiscal_yuan,
        max(case when column_key = 'other' then amount_yuan end) as other_yuan,
        -- a blank 总额 reads as zero; a task row prints one, the 年度总体目标 text row does not
        max(case when column_key = 'total' then nullif(trim(printed), '') end) is not null as prints_total
    from {{ batch_of('int_table_cells') }}
    where kind = 'performance'
    group by all
)

select
    t.document_id, d.fiscal_year, t.task_name, t.task_content, t.total_yuan, t.fiscal_yuan, t.other_yuan, t.page, t.row_number,
    d.entity_id, d.entity_name
from tasks as t
inner join {{ batch_of('int_document_entities') }} as d on d.document_id = t.document_id
where nullif(t.task_name, '') is not null and t.prints_total
