{{ config(materialized='incremental') }}
-- 三公经费 of each unit a department's table lists beside its own rows, by category and year.
select
    t.document_id,
    t.fiscal_year,
    t.unit_label as unit_name,
    t.category,
    arg_min(t.amount_yuan, t.row_number) filter (where not t.is_budget) as amount_yuan,
    arg_min(t.amount_yuan, t.row_number) filter (where t.is_budget) as budget_yuan,
    min(t.page) as page,
    d.entity_id,
    d.entity_name
from {{ batch_of('int_three_public') }} as t
inner join {{ batch_of('int_document_entities') }} as d on d.document_id = t.document_id
where not t.is_entity_row
group by all
