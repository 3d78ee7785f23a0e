-- 三公经费 by category and year, plus 机关运行经费 where the narrative states it.
select document_id, fiscal_year, category, amount_yuan, page
from {{ ref('int_three_public') }}
union all
select n.document_id, d.fiscal_year, 'admin_operation' as category, n.amount_yuan, n.page
from {{ ref('int_narrative_figures') }} as n
inner join {{ ref('stg_documents') }} as d on d.document_id = n.document_id
where n.figure_key = 'admin_operation'
