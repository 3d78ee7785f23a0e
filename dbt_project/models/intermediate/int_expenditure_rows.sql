-- Coded rows of the expenditure tables, with level from the code length and leaf flags. A code printed on
-- several rows of one table (a row repeated atop a continuation page, say) counts once, as first printed;
-- int_check_comparisons checks that the repeats agree with it.
with coded as (
    select
        document_id,
        table_key,
        table_no,
        fund_scope,
        classification,
        code as subject_code,
        name as subject_name,
        (length(code) - 1) // 2 as level,
        total_yuan,
        basic_yuan,
        project_yuan,
        page,
        row_number,
        unit_factor,
        decimals
    from {{ ref('int_table_rows') }}
    where kind = 'expenditure' and regexp_full_match(coalesce(code, ''), '[0-9]{3}([0-9]{2}){0,2}')
    qualify row_number() over (partition by document_id, table_key, code order by row_number) = 1
)

select
    c.*,
    case when length(c.subject_code) > 3 then left(c.subject_code, length(c.subject_code) - 2) end as parent_code,
    not exists (
        select 1
        from coded as child
        where
            child.document_id = c.document_id
            and child.table_key = c.table_key
            and length(child.subject_code) > length(c.subject_code)
            and starts_with(child.subject_code, c.subject_code)
    ) as is_leaf
from coded as c
