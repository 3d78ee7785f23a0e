-- Amounts stated in the narrative part, signed, in yuan, with page and wording.
select
    n.document_id,
    d.fiscal_year,
    n.figure_key,
    n.label,
    n.amount_yuan,
    n.page,
    n.snippet
from {{ ref('int_narrative_figures') }} as n
inner join {{ ref('stg_documents') }} as d on d.document_id = n.document_id
