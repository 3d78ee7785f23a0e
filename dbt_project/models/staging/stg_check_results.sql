select
    comparison_id,
    document_id,
    check_id,
    passed,
    failed_expectations,
    suite_name,
    checked_at
from {{ source('checks', 'check_results') }}
