-- One row per printed table row: its labels (entity, code, name) and the common amount columns.
with rows as (
    select
        document_id,
        layout,
        table_key,
        table_no,
        kind,
        fund_scope,
        classification,
        row_number,
        unit_factor,
        min(page) as page,
        max(case when column_key = 'entity' then text end) as entity_label,
        coalesce(
            max(case when column_key = 'code' then text end),
            nullif(concat(
                coalesce(max(case when column_key = 'code_class' then text end), ''),
                coalesce(max(case when column_key = 'code_section' then text end), ''),
                coalesce(max(case when column_key = 'code_item' then text end), '')
            ), '')
        ) as code,
        max(case when column_key in ('name', 'project_name') then text end) as name,
        max(case when column_key = 'year_label' then text end) as year_label,
        max(case when column_key = 'total' then amount_yuan end) as total_yuan,
        max(case when column_key = 'basic' then amount_yuan end) as basic_yuan,
        max(case when column_key = 'project' then amount_yuan end) as project_yuan,
        min(y0) as y0,
        max(y1) as y1
    from {{ ref('int_table_cells') }}
    group by all
)

select
    *,
    nullif(code, '') is null and total_yuan is not null as is_total_candidate,
    row_number() over (
        partition by document_id, table_key, (nullif(code, '') is null and total_yuan is not null)
        order by row_number
    ) = 1 and nullif(code, '') is null and total_yuan is not null as is_table_total
from rows
