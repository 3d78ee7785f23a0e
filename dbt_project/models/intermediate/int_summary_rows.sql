-- The two sides (收入 | 支出) of the summary tables, with the meaning of the rows checks need.
with sides as (
    select
        document_id, layout, table_key, row_number, page, unit_factor, decimals, 'revenue' as side,
        max(case when column_key = 'revenue_item' then text end) as item,
        max(case when column_key = 'revenue_amount' then amount_yuan end) as amount_yuan
    from {{ ref('int_table_cells') }}
    where kind = 'summary'
    group by all
    union all
    select
        document_id, layout, table_key, row_number, page, unit_factor, decimals, 'expenditure' as side,
        max(case when column_key = 'expenditure_item' then text end) as item,
        max(case when column_key = 'expenditure_amount' then amount_yuan end) as amount_yuan
    from {{ ref('int_table_cells') }}
    where kind = 'summary'
    group by all
)

select
    s.*,
    r.row_key
from sides as s
left join {{ ref('summary_rows') }} as r
    on r.layout = s.layout and r.side = s.side and regexp_matches(s.item, r.name_pattern)
where s.item is not null and s.item <> ''
