select
    document_id,
    figure_number,
    figure_key,
    nullif(label, '') as label,
    cast(amount as decimal(28, 6)) as printed_amount,
    unit_factor,
    decimals,
    page,
    snippet
from {{ source('raw', 'narrative_figures') }}
