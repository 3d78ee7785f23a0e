{{ config(materialized='incremental') }}
-- Narrative figures in yuan.
select
    document_id,
    figure_number,
    figure_key,
    label,
    {{ to_yuan('printed_amount', 'unit_factor') }} as amount_yuan,
    unit_factor,
    decimals,
    page,
    snippet
from {{ batch_of('stg_narrative_figures') }}
