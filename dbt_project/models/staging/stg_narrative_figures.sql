select
    document_id,
    figure_key,
    nullif(label, '') as label,
    cast(amount as decimal(20, 2)) as printed_amount,
    unit_factor,
    page,
    snippet
from {{ source('raw', 'narrative_figures') }}
