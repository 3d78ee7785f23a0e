select
    document_id,
    table_key,
    column_index,
    header_label,
    column_key,
    is_amount
from {{ source('raw', 'table_columns') }}
