{{ config(materialized='incremental') }}
-- One row per printed table row: its labels (entity, code, name) and the common amount columns. The code and name
-- are the extractor's (stg_table_rows): a code column, 类|款|项 columns joined, or a code printed before the name.
with rows as (
    select
        c.document_id,
        c.layout,
        c.table_key,
        c.table_no,
        c.kind,
        c.fund_scope,
        c.classification,
        c.in_facts,
        c.total_row_pattern,
        c.row_number,
        c.unit_factor,
        c.decimals,
        min(c.page) as page,
        max(case when c.column_key = 'entity' then c.text end) as entity_label,
        -- A second classification printed beside the first (Beijing's 支出总表: function × economic code).
        max(case when c.column_key in ('economic', 'gov_economic') then c.text end) as detail_label,
        -- What a reader sees at the left of the row (合计 may be printed over the merged code cells).
        arg_min(c.text, c.column_index) filter (where not c.is_amount and coalesce(c.text, '') <> '') as label,
        max(case when c.column_key = 'year_label' then c.text end) as year_label,
        max(case when c.column_key = 'item' then c.text end) as item_label,
        max(case when c.column_key = 'total' then c.amount_yuan end) as total_yuan,
        max(case when c.column_key = 'basic' then c.amount_yuan end) as basic_yuan,
        max(case when c.column_key = 'project' then c.amount_yuan end) as project_yuan,
        min(c.y0) as y0,
        max(c.y1) as y1
    from {{ batch_of('int_table_cells') }} as c
    group by all
),

candidates as (
    select
        r.*,
        tr.code,
        tr.name,
        tr.code is null
        and coalesce(r.total_yuan, r.basic_yuan, r.project_yuan) is not null
        -- A table printing subtotals without a grand total (决算 人员经费合计 | 公用经费合计) names its total row.
        and regexp_matches(coalesce(tr.name, r.label, ''), coalesce(nullif(r.total_row_pattern, ''), '.*')) as is_total_candidate
    from rows as r
    inner join {{ batch_of('stg_table_rows') }} as tr using (document_id, table_key, row_number)
)

select
    * exclude (total_row_pattern),
    is_total_candidate
    and row_number() over (partition by document_id, table_key, is_total_candidate order by row_number) = 1 as is_table_total
from candidates
