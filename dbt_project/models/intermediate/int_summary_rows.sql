{{ config(materialized='incremental') }}
-- The two sides (收入 | 支出) of the summary tables, with the meaning of the rows checks need.
with sides as (
    select
        document_id, layout, table_key, row_number, page, unit_factor, decimals, 'revenue' as side,
        max(case when column_key = 'revenue_item' then text end) as item,
        max(case when column_key = 'revenue_amount' then amount_yuan end) as amount_yuan,
        -- A blank amount reads as zero in a list of items, but a total printed blank is a figure not printed.
        bool_or(column_key = 'revenue_amount' and trim(printed) = '') as is_blank
    from {{ batch_of('int_table_cells') }}
    where kind = 'summary'
    group by all
    union all
    select
        document_id, layout, table_key, row_number, page, unit_factor, decimals, 'expenditure' as side,
        max(case when column_key = 'expenditure_item' then text end) as item,
        max(case when column_key = 'expenditure_amount' then amount_yuan end) as amount_yuan,
        bool_or(column_key = 'expenditure_amount' and trim(printed) = '') as is_blank
    from {{ batch_of('int_table_cells') }}
    where kind = 'summary'
    group by all
),

keyed as (
    select
        s.*,
        r.row_key,
        r.printed
    from sides as s
    left join {{ ref('summary_rows') }} as r
        -- An item's ordinal ("一、本年收入", "（二）…") says where it is printed, not what it is.
        on r.layout = s.layout and r.side = s.side
        and regexp_matches(regexp_replace(s.item, '^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[0-9]+[.、．])', ''), r.name_pattern)
    where s.item is not null and s.item <> ''
)

-- A label such as 收入合计 is this year's revenue when printed above the carry-over rows and the grand total
-- when printed below them (summary_rows.printed says which reading needs which place).
select * exclude (printed, carryover_row)
from (
    select
        *,
        min(row_number) filter (where row_key = 'carryover') over (partition by document_id, table_key, side) as carryover_row
    from keyed
)
where
    coalesce(printed, '') = ''
    or carryover_row is null
    or (printed = 'before_carryover' and row_number < carryover_row)
    or (printed = 'after_carryover' and row_number > carryover_row)
