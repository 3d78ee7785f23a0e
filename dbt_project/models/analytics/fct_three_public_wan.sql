-- fct_three_public in 万元 as the disclosures print it (two decimals), for display.
select
    document_id,
    entity_id,
    entity_name,
    fiscal_year,
    category,
    {{ to_wan('amount_yuan') }} as amount_wan,
    {{ to_wan('budget_yuan') }} as budget_wan,
    page
from {{ ref('fct_three_public') }}
