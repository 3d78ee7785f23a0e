{{ config(materialized='incremental') }}
-- Every invariant, every document: verdicts from great-expectations, and not_applicable where tables are missing.
with verdicts as (
    select
        c.document_id,
        c.check_id,
        c.severity,
        case when v.passed then 'pass' else 'fail' end as status,
        c.subject,
        c.expected_yuan,
        c.actual_yuan,
        c.difference_yuan,
        c.tolerance_yuan,
        c.pages,
        v.checked_at,
        -- Where each side is printed (see int_check_comparisons): what the run report shows.
        {{ check_side_columns('c') }}
    from {{ batch_of('int_check_comparisons') }} as c
    inner join {{ batch_of('stg_check_results') }} as v on v.comparison_id = c.comparison_id
),

missing as (
    select
        d.document_id,
        k.check_id,
        k.severity,
        'not_applicable' as status,
        'no tables to compare: ' || k.description as subject,
        cast(null as decimal(20, 2)) as expected_yuan,
        cast(null as decimal(20, 2)) as actual_yuan,
        cast(null as decimal(20, 2)) as difference_yuan,
        cast(null as decimal(20, 2)) as tolerance_yuan,
        cast(null as varchar) as pages,
        (select max(checked_at) from {{ batch_of('stg_check_results') }}) as checked_at
    from {{ batch_of('stg_documents') }} as d
    cross join {{ ref('checks') }} as k
    where
        d.extraction_status = 'extracted'
        and not exists (select 1 from verdicts as v where v.document_id = d.document_id and v.check_id = k.check_id)
),

results as (
    select * from verdicts
    -- By name: a check without comparisons has no sides, and those columns stay null.
    union all by name
    select * from missing
)

-- pages also as a list, for joins to the pages of printed_cell
select *, cast(string_split(nullif(pages, ''), ',') as integer[]) as page_list
from results
