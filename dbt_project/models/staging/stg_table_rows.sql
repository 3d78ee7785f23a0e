select
    document_id,
    table_key,
    row_number,
    page,
    nullif(code, '') as code,
    nullif(name, '') as name
from {{ source('raw', 'table_rows') }}
