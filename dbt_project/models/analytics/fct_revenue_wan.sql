-- fct_revenue in 万元 as the disclosures print it (two decimals), for display.
select
    document_id,
    entity_id,
    entity_name,
    fiscal_year,
    fund_source_code,
    {{ to_wan('amount_yuan') }} as amount_wan,
    page
from {{ ref('fct_revenue') }}
