{{ config(materialized='incremental') }}
-- Amounts by fund source from the tables that print one column per source (收入总表, 基本/项目支出总表), with
-- how the table groups its sources: a column labelled "G/小计" (or "G/合计") is the subtotal of the columns
-- labelled "G/…". The grouping is read from the printed header, so each region's own grouping holds
-- (财政拨款 = 一般公共预算 + 政府性基金 + 国有资本经营; Shenzhen's 单位资金, Guangzhou's 其他资金收入, …).
with source_columns as (
    select
        c.document_id,
        c.table_key,
        c.column_index,
        c.column_key as fund_source_code,
        c.header_label,
        -- The group a subtotal column sums: its label without the trailing 小计/合计.
        regexp_replace(c.header_label, '/(?:小计|合计)$', '') as group_label,
        regexp_matches(c.header_label, '/(?:小计|合计)$') as is_subtotal
    from {{ batch_of('stg_table_columns') }} as c
    inner join {{ ref('fund_sources') }} as f on f.fund_source_code = c.column_key
),

structure as (
    select
        s.*,
        (
            select p.fund_source_code
            from source_columns as p
            where
                p.document_id = s.document_id and p.table_key = s.table_key and p.is_subtotal
                and p.column_index <> s.column_index and starts_with(s.header_label, p.group_label || '/')
            order by length(p.group_label) desc
            limit 1
        ) as printed_parent,
        not exists (
            select 1
            from source_columns as k
            where
                k.document_id = s.document_id and k.table_key = s.table_key and s.is_subtotal
                and k.column_index <> s.column_index and starts_with(k.header_label, s.group_label || '/')
        ) as is_leaf
    from source_columns as s
),

row_labels as (
    select
        document_id,
        table_key,
        row_number,
        code as row_code,
        coalesce(nullif(entity_label, ''), nullif(name, ''), label) as row_label,
        is_table_total
    from {{ batch_of('int_table_rows') }}
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
    s.printed_parent,
    s.is_leaf,
    c.amount_yuan,
    c.page
from {{ batch_of('int_table_cells') }} as c
inner join row_labels as l using (document_id, table_key, row_number)
inner join {{ batch_of('stg_documents') }} as d on d.document_id = c.document_id
inner join structure as s using (document_id, table_key, column_index)
