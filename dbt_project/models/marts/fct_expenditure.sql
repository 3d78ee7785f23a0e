-- Spending by classification: every printed coded row of every expenditure table.
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
    e.row_number
from {{ ref('int_expenditure_rows') }} as e
inner join {{ ref('stg_documents') }} as d on d.document_id = e.document_id
