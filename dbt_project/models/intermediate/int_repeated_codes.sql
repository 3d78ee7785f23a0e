{{ config(materialized='incremental') }}
-- How a table that prints a code on several rows means it. Either the rows are parts (the units of a department
-- listed one after the other, each with its own rows; a 项 split over two rows; or a second classification beside
-- the first, Beijing's 支出总表 function × economic) and the code's figure is their sum; or a row is printed again
-- (atop a continuation page) and counts once. The figure printed once above the repeats says which: the parent
-- row (the table's total for a 类) equals the sum of all its children's rows, or of their first printings.
with coded as (
    select
        document_id,
        table_key,
        code,
        total_yuan,
        detail_label,
        row_number() over (partition by document_id, table_key, code order by row_number) as occurrence,
        count(*) over (partition by document_id, table_key, code) as printings
    from {{ batch_of('int_table_rows') }}
    where kind = 'expenditure' and regexp_full_match(coalesce(code, ''), '[0-9]{3}([0-9]{2}){0,2}')
),

-- A row's parent as printed: the code two digits shorter where the table prints it, else the table's total
-- (null), as for a table that prints only 项 rows.
parented as (
    select
        c.*,
        case
            when exists (
                select 1 from coded as p
                where p.document_id = c.document_id and p.table_key = c.table_key and p.code = left(c.code, length(c.code) - 2)
            ) then left(c.code, length(c.code) - 2)
        end as parent_code
    from coded as c
),

-- Each printed-once parent of a repeated code (null for the table's total) and the sums of its children.
parents as (
    select
        c.document_id,
        c.table_key,
        c.parent_code,
        sum(c.total_yuan) as all_rows_yuan,
        sum(c.total_yuan) filter (where c.occurrence = 1) as first_rows_yuan
    from parented as c
    where not exists (
        select 1 from coded as p
        where p.document_id = c.document_id and p.table_key = c.table_key and p.code = c.parent_code and p.printings > 1
    )
    group by all
    having max(c.printings) > 1
),

parent_figures as (
    select p.*, coalesce(f.total_yuan, t.total_yuan) as parent_yuan
    from parents as p
    left join coded as f
        on f.document_id = p.document_id and f.table_key = p.table_key and f.code = p.parent_code
    left join {{ batch_of('int_table_rows') }} as t
        on p.parent_code is null and t.document_id = p.document_id and t.table_key = p.table_key and t.is_table_total
),

votes as (
    select
        document_id,
        table_key,
        count(*) filter (where abs(all_rows_yuan - parent_yuan) < abs(first_rows_yuan - parent_yuan)) as parts_votes,
        count(*) filter (where abs(all_rows_yuan - parent_yuan) > abs(first_rows_yuan - parent_yuan)) as repeat_votes
    from parent_figures
    group by all
),

tables as (
    select document_id, table_key, bool_or(detail_label is not null) as has_detail, max(printings) > 1 as has_repeats
    from coded
    group by all
)

select
    t.document_id,
    t.table_key,
    t.has_repeats,
    t.has_detail or coalesce(v.parts_votes > v.repeat_votes, false) as sums_repeats
from tables as t
left join votes as v using (document_id, table_key)
