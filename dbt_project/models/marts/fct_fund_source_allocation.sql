{{ config(materialized='incremental') }}
-- 基本支出 items and 项目支出 projects by fund source (基本支出总表 / 项目支出总表), entity total rows excluded.
select
    f.document_id,
    d.fiscal_year,
    d.entity_name,
    case f.kind when 'basic_by_source' then 'basic' else 'project' end as expenditure_type,
    f.row_label as item_name,
    f.fund_source_code,
    f.amount_yuan,
    f.page,
    f.row_number,
    d.entity_id
from {{ batch_of('int_fund_source_amounts') }} as f
inner join {{ batch_of('int_document_entities') }} as d on d.document_id = f.document_id
where f.kind in ('basic_by_source', 'project_by_source') and not f.is_entity_row
