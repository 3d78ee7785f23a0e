-- Amounts by fund source from the tables that print one column per source (收入总表, 基本/项目支出总表).
with row_labels as (
    select
        document_id,
        table_key,
        row_number,
        code as row_code,
        coalesce(nullif(entity_label, ''), nullif(name, ''), label) as row_label,
        is_table_total
    from {{ ref('int_table_rows') }}
    where kind in ('revenue', 'basic_by_source', 'project_by_source')
)

select
    c.document_id,
    c.table_key,
    c.table_no,
    c.kind,
    c.unit_factor,
    c.decimals,
    c.row_number,
    l.row_code,
    l.row_label,
    -- The disclosing body prints itself (and, for a 部门, its units) above the items, or a 合计 row sums them.
    l.is_table_total or {{ is_entity_label('l.row_label', 'd.entity_name') }} as is_entity_row,
    c.column_key as fund_source_code,
    c.amount_yuan,
    c.page
from {{ ref('int_table_cells') }} as c
inner join row_labels as l using (document_id, table_key, row_number)
inner join {{ ref('stg_documents') }} as d on d.document_id = c.document_id
inner join {{ ref('fund_sources') }} as f on f.fund_source_code = c.column_key
