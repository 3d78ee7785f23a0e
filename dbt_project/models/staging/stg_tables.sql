select
    document_id,
    table_key,
    table_no,
    title,
    title_page,
    pages,
    cast(unit_factor as integer) as unit_factor,
    empty_statement,
    row_count,
    column_count,
    unmapped_columns,
    unparsed_amounts,
    decimals,
    unit_source,
    occurrence
from {{ source('raw', 'tables') }}
