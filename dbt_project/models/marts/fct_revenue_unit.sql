{{ config(materialized='incremental') }}
-- Revenue by fund source of each unit a department's revenue table lists under its total row. fct_revenue keeps the
-- total row only, so a unit's revenue is never counted twice; the check revenue_units_sum compares the two.
select
    f.document_id,
    d.fiscal_year,
    d.entity_name,
    u.unit_name,
    f.fund_source_code,
    arg_min(f.amount_yuan, f.row_number) as amount_yuan,
    arg_min(f.page, f.row_number) as page,
    d.entity_id
from {{ batch_of('int_fund_source_amounts') }} as f
inner join {{ batch_of('int_unit_rows') }} as u using (document_id, table_key, row_number)
inner join {{ batch_of('int_document_entities') }} as d on d.document_id = f.document_id
where f.kind = 'revenue'
group by all
