-- One row per distinct PDF, with its load status derived from the error-level checks.
with failures as (
    select
        document_id,
        count(*) as failed_checks,
        min(check_id || ': ' || subject) as first_failure
    from {{ ref('reconciliation_result') }}
    where severity = 'error' and status = 'fail'
    group by document_id
)

select
    d.document_id,
    d.source_file,
    d.fiscal_year,
    d.document_type,
    d.scope,
    d.entity_name,
    d.region,
    d.layout,
    d.page_count,
    case
        when d.extraction_status = 'rejected' then 'rejected'
        when f.failed_checks > 0 then 'flagged'
        else 'loaded'
    end as status,
    case
        when d.extraction_status = 'rejected' then d.extraction_status_reason
        when f.failed_checks > 0
            then f.failed_checks || ' error-level check(s) fail, e.g. ' || f.first_failure
    end as status_reason,
    d.expected_tables,
    d.tables_found,
    d.file_bytes,
    d.extracted_at,
    d.pipeline_version
from {{ ref('stg_documents') }} as d
left join failures as f on f.document_id = d.document_id
