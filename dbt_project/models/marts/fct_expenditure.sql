{{ config(materialized='incremental') }}
-- Spending by classification: every coded row of the tables that give each fund scope's spending. Where a
-- document prints two such tables for one scope and classification (一般公共预算支出 by economic class in
-- full and its 基本支出 part), the one printing totals is taken.
with tables as (
    select
        document_id,
        table_key,
        row_number() over (
            partition by document_id, fund_scope, classification
            order by count(total_yuan) desc, min(table_no), table_key
        ) as preference
    from {{ batch_of('int_expenditure_rows') }}
    where in_facts
    group by document_id, table_key, fund_scope, classification
)

select
    e.document_id,
    d.fiscal_year,
    d.entity_name,
    e.fund_scope,
    e.classification,
    e.subject_code,
    e.subject_name,
    cast(e.level as integer) as level,
    e.is_leaf,
    e.total_yuan,
    e.basic_yuan,
    e.project_yuan,
    e.page,
    e.table_key,
    e.row_number,
    e.printed_rows,
    d.entity_id
from {{ batch_of('int_expenditure_rows') }} as e
inner join tables as t on t.document_id = e.document_id and t.table_key = e.table_key and t.preference = 1
inner join {{ batch_of('int_document_entities') }} as d on d.document_id = e.document_id
