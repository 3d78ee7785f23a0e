select
    document_id,
    source_file,
    file_bytes,
    page_count,
    layout,
    fiscal_year,
    document_type,
    scope,
    entity_name,
    region,
    expected_tables,
    tables_found,
    status as extraction_status,
    status_reason as extraction_status_reason,
    extraction_seconds,
    extracted_at,
    pipeline_version
from {{ source('raw', 'documents') }}
