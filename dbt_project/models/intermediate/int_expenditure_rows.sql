{{ config(materialized='incremental') }}
-- Coded rows of the expenditure tables, with level from the code length and leaf flags. A code printed on
-- several rows of one table is the sum of those rows when they are parts (int_repeated_codes: units one after
-- the other, or a second classification beside the first); else it counts once, as first printed, and
-- int_check_comparisons checks that the repeats agree with it.
with coded as (
    select r.*, coalesce(x.sums_repeats, false) as is_detail_table
    from {{ batch_of('int_table_rows') }} as r
    left join {{ batch_of('int_repeated_codes') }} as x using (document_id, table_key)
    where r.kind = 'expenditure' and regexp_full_match(coalesce(r.code, ''), '[0-9]{3}([0-9]{2}){0,2}')
),

subjects as (
    select
        document_id,
        table_key,
        table_no,
        fund_scope,
        classification,
        in_facts,
        code as subject_code,
        arg_min(name, row_number) as subject_name,
        (length(code) - 1) // 2 as level,
        cast(case when is_detail_table then sum(total_yuan) else arg_min(total_yuan, row_number) end as decimal(20, 2)) as total_yuan,
        cast(case when is_detail_table then sum(basic_yuan) else arg_min(basic_yuan, row_number) end as decimal(20, 2)) as basic_yuan,
        cast(case when is_detail_table then sum(project_yuan) else arg_min(project_yuan, row_number) end as decimal(20, 2)) as project_yuan,
        arg_min(page, row_number) as page,
        min(row_number) as row_number,
        cast(case when is_detail_table then count(*) else 1 end as integer) as printed_rows,
        any_value(unit_factor) as unit_factor,
        any_value(decimals) as decimals
    from coded
    group by document_id, table_key, table_no, fund_scope, classification, in_facts, code, is_detail_table
)

select
    s.*,
    case when length(s.subject_code) > 3 then left(s.subject_code, length(s.subject_code) - 2) end as parent_code,
    not exists (
        select 1
        from subjects as child
        where
            child.document_id = s.document_id
            and child.table_key = s.table_key
            and length(child.subject_code) > length(s.subject_code)
            and starts_with(child.subject_code, s.subject_code)
    ) as is_leaf
from subjects as s
