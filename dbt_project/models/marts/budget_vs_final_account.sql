{{ config(materialized='view') }}
-- A budget and the final account of the same entity (entity_id: renames followed) and year, side by side: one row
-- per item and measure.
with documents as (
    select document_id, document_type, entity_id, entity_name, region, fiscal_year
    from {{ ref('dim_document') }}
    where status <> 'rejected' and entity_id is not null
),

pairs as (
    select
        b.entity_id, f.entity_name, f.region, b.fiscal_year,
        b.document_id as budget_document_id, f.document_id as final_document_id
    from documents as b
    inner join documents as f on f.entity_id = b.entity_id and f.fiscal_year = b.fiscal_year
    where b.document_type = 'budget' and f.document_type = 'final_account'
),

items as (
    {% for measure in ['total', 'basic', 'project'] %}
    select
        document_id, 'expenditure' as topic, fund_scope, classification, subject_code as code, subject_name as name,
        '{{ measure }}' as measure, {{ measure }}_yuan as amount_yuan
    from {{ ref('fct_expenditure') }}
    where {{ measure }}_yuan is not null
    union all
    {% endfor %}
    select document_id, 'three_public', null, null, category, category, 'amount', amount_yuan
    from {{ ref('fct_three_public') }} as t
    where t.fiscal_year = (select d.fiscal_year from documents as d where d.document_id = t.document_id)
    union all
    select document_id, 'revenue', null, null, fund_source_code, fund_source_code, 'amount', amount_yuan
    from {{ ref('fct_revenue') }}
),

budget as (
    select p.*, i.topic, i.fund_scope, i.classification, i.code, i.name, i.measure, i.amount_yuan
    from pairs as p
    inner join items as i on i.document_id = p.budget_document_id
),

final as (
    select p.*, i.topic, i.fund_scope, i.classification, i.code, i.name, i.measure, i.amount_yuan
    from pairs as p
    inner join items as i on i.document_id = p.final_document_id
)

select
    coalesce(b.entity_name, f.entity_name) as entity_name,
    coalesce(b.region, f.region) as region,
    coalesce(b.fiscal_year, f.fiscal_year) as fiscal_year,
    coalesce(b.budget_document_id, f.budget_document_id) as budget_document_id,
    coalesce(b.final_document_id, f.final_document_id) as final_document_id,
    coalesce(b.topic, f.topic) as topic,
    coalesce(b.fund_scope, f.fund_scope) as fund_scope,
    coalesce(b.classification, f.classification) as classification,
    coalesce(b.code, f.code) as code,
    coalesce(f.name, b.name) as name,
    coalesce(b.measure, f.measure) as measure,
    b.amount_yuan as budget_yuan,
    f.amount_yuan as final_yuan,
    cast(f.amount_yuan - b.amount_yuan as decimal(20, 2)) as difference_yuan,
    round(f.amount_yuan / nullif(b.amount_yuan, 0), 4) as execution_rate,
    coalesce(b.entity_id, f.entity_id) as entity_id
from budget as b
full outer join final as f
    on f.budget_document_id = b.budget_document_id and f.final_document_id = b.final_document_id
    and f.topic = b.topic and f.code = b.code and f.measure = b.measure
    and f.fund_scope is not distinct from b.fund_scope and f.classification is not distinct from b.classification
