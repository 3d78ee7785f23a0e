select
    document_id,
    table_key,
    row_number,
    column_index,
    page,
    printed,
    text,
    cast(amount as decimal(28, 6)) as printed_amount,
    x0,
    "top" as y0,
    x1,
    bottom as y1,
    carried
from {{ source('raw', 'table_cells') }}
