-- One row per distinct PDF, with its load status derived from the error-level checks.
-- The reason names a finding on the document itself first (two disclosures in one file, facts not printed):
-- it explains the failed comparisons that follow from it.
with failures as (
    select
        r.document_id,
        count(*) as failed_checks,
        arg_min(r.check_id || ': ' || r.subject, [(k.kind <> 'finding')::int::varchar, r.check_id, r.subject])
            as first_failure
    from {{ ref('reconciliation_result') }} as r
    inner join {{ ref('checks') }} as k on k.check_id = r.check_id
    where r.severity = 'error' and r.status = 'fail'
    group by r.document_id
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
    d.pipeline_version,
    e.entity_id,
    d.fact_sources,
    d.content,
    p.paired_document_id
from {{ ref('stg_documents') }} as d
left join failures as f on f.document_id = d.document_id
left join {{ ref('int_document_entities') }} as e on e.document_id = d.document_id
left join {{ ref('int_document_pairs') }} as p on p.document_id = d.document_id
