select
    document_id,
    check_id,
    subject,
    nullif(pages, '') as pages
from {{ source('raw', 'findings') }}
