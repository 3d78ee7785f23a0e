{{ config(materialized='incremental') }}
-- Amounts stated in the narrative part, signed, in yuan, with page and wording.
select
    n.document_id,
    d.fiscal_year,
    n.figure_key,
    n.label,
    n.amount_yuan,
    n.page,
    n.snippet,
    d.entity_id,
    d.entity_name
from {{ batch_of('int_narrative_figures') }} as n
inner join {{ batch_of('int_document_entities') }} as d on d.document_id = n.document_id
