-- fct_expenditure in 万元 as the disclosures print it (two decimals), for display.
select
    document_id,
    entity_id,
    entity_name,
    fiscal_year,
    fund_scope,
    classification,
    subject_code,
    subject_name,
    level,
    is_leaf,
    {{ to_wan('total_yuan') }} as total_wan,
    {{ to_wan('basic_yuan') }} as basic_wan,
    {{ to_wan('project_yuan') }} as project_wan,
    page
from {{ ref('fct_expenditure') }}
