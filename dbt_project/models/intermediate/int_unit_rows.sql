{{ config(materialized='incremental') }}
-- The units a department lists in a standard table under its total row (seed unit_rollups names the tables): rows
-- printed without a function code, under a name, with amounts. A unit code is no function code (苏州 prints 024 for
-- the department, which reads as a 类, then 024001 for each unit), so only the units count. A single such row is the
-- body printed again under its 合计 (a unit's own budget), not a list of units.
with totals as (
    select document_id, table_key, row_number
    from {{ batch_of('int_table_rows') }}
    where is_table_total
),

named as (
    select
        r.document_id,
        r.table_key,
        r.row_number,
        coalesce(nullif(r.entity_label, ''), r.name) as unit_name,
        t.row_number as total_row_number,
        r.page
    from {{ batch_of('int_table_rows') }} as r
    inner join {{ ref('unit_rollups') }} as u on u.table_key = r.table_key
    inner join totals as t on t.document_id = r.document_id and t.table_key = r.table_key and t.row_number < r.row_number
    where
        not regexp_full_match(coalesce(r.code, ''), '[0-9]{3}([0-9]{2}){0,2}')
        and r.total_yuan is not null
)

select *
from named
where coalesce(unit_name, '') not in ('', '合计', '总计')
qualify count(*) over (partition by document_id, table_key) > 1
