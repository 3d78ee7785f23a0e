{{ config(materialized='incremental') }}
-- 三公经费 by category and year (决算: the 决算数, with the 预算数 printed beside it), plus 机关运行经费
-- from the 三公 table where it has a column, else from a 机关运行经费 table of its own, else from the narrative. The disclosing body's own figures: a unit's
-- rows are in fct_three_public_unit.
with printed as (
    select
        document_id,
        fiscal_year,
        category,
        arg_min(amount_yuan, row_number) filter (where not is_budget) as amount_yuan,
        arg_min(amount_yuan, row_number) filter (where is_budget) as budget_yuan,
        min(page) as page
    from {{ batch_of('int_three_public') }}
    where is_entity_row
    group by all
),

admin_operation_table as (
    select r.document_id, d.fiscal_year, 'admin_operation' as category, r.total_yuan as amount_yuan, r.page, null as budget_yuan
    from {{ batch_of('int_table_rows') }} as r
    inner join {{ batch_of('stg_documents') }} as d on d.document_id = r.document_id
    where
        r.kind = 'admin_operation' and r.is_table_total and r.total_yuan is not null
        and not exists (select 1 from printed as p where p.document_id = r.document_id and p.category = 'admin_operation')
    qualify row_number() over (partition by r.document_id order by r.table_no, r.row_number) = 1
),

figures as (
    select document_id, fiscal_year, category, amount_yuan, page, budget_yuan
    from printed
    union all
    select * from admin_operation_table
    union all
    select n.document_id, d.fiscal_year, 'admin_operation' as category, n.amount_yuan, n.page, null as budget_yuan
    from {{ batch_of('int_narrative_figures') }} as n
    inner join {{ batch_of('stg_documents') }} as d on d.document_id = n.document_id
    where
        n.figure_key = 'admin_operation'
        and not exists (select 1 from printed as p where p.document_id = n.document_id and p.category = 'admin_operation')
        and not exists (select 1 from admin_operation_table as a where a.document_id = n.document_id)
    qualify row_number() over (partition by n.document_id order by n.figure_number) = 1
)

select f.*, d.entity_id, d.entity_name
from figures as f
inner join {{ batch_of('int_document_entities') }} as d on d.document_id = f.document_id
