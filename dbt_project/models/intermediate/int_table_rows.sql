-- One row per printed table row: its labels (entity, code, name) and the common amount columns.
with cells as (
    select
        *,
        -- A code printed over 类 | 款 | 项 columns: only digits count (the cells also hold 合计 or 类/款/项 labels),
        -- and 款/项 are two digits even where the PDF drops the leading zero.
        case
            when not regexp_full_match(coalesce(text, ''), '[0-9]+') then null
            when column_key = 'code_class' then text
            when column_key in ('code_section', 'code_item') then lpad(text, 2, '0')
        end as code_part
    from {{ ref('int_table_cells') }}
),

rows as (
    select
        document_id,
        layout,
        table_key,
        table_no,
        kind,
        fund_scope,
        classification,
        total_row_pattern,
        row_number,
        unit_factor,
        decimals,
        min(page) as page,
        max(case when column_key = 'entity' then text end) as entity_label,
        coalesce(
            max(case when column_key = 'code' then text end),
            nullif(concat(
                coalesce(max(case when column_key = 'code_class' then code_part end), ''),
                coalesce(max(case when column_key = 'code_section' then code_part end), ''),
                coalesce(max(case when column_key = 'code_item' then code_part end), '')
            ), '')
        ) as code,
        max(case when column_key in ('name', 'project_name') then text end) as name,
        -- What a reader sees at the left of the row (合计 may be printed over the merged code cells).
        arg_min(text, column_index) filter (where not is_amount and coalesce(text, '') <> '') as label,
        max(case when column_key = 'year_label' then text end) as year_label,
        max(case when column_key = 'total' then amount_yuan end) as total_yuan,
        max(case when column_key = 'basic' then amount_yuan end) as basic_yuan,
        max(case when column_key = 'project' then amount_yuan end) as project_yuan,
        min(y0) as y0,
        max(y1) as y1
    from cells
    group by all
),

candidates as (
    select
        *,
        nullif(code, '') is null
        and coalesce(total_yuan, basic_yuan, project_yuan) is not null
        -- A table printing subtotals without a grand total (决算 人员经费合计 | 公用经费合计) names its total row.
        and regexp_matches(coalesce(nullif(name, ''), label, ''), coalesce(nullif(total_row_pattern, ''), '.*')) as is_total_candidate
    from rows
)

select
    * exclude (total_row_pattern),
    is_total_candidate
    and row_number() over (partition by document_id, table_key, is_total_candidate order by row_number) = 1 as is_table_total
from candidates
