-- A publication split in two PDFs (Beijing publishes the tables and the explanation apart): each document with the
-- document whose tables its prose is checked against. A document that prints tables is its own; an explanation
-- without tables takes the tables-only document of the same entity, year and type (the latest extracted where a
-- corpus holds several); an explanation with no such partner has none, and its figures are kept but not compared.
with documents as (
    select e.document_id, e.entity_id, e.fiscal_year, e.document_type, d.content, d.extracted_at
    from {{ ref('int_document_entities') }} as e
    inner join {{ ref('stg_documents') }} as d on d.document_id = e.document_id
    where d.extraction_status = 'extracted'
),

partners as (
    select
        x.document_id,
        t.document_id as tables_document_id
    from documents as x
    inner join documents as t
        on t.entity_id = x.entity_id and t.fiscal_year = x.fiscal_year and t.document_type = x.document_type
        and t.content = 'tables'
    where x.content = 'explanation'
    qualify row_number() over (partition by x.document_id order by t.extracted_at desc, t.document_id) = 1
)

select
    d.document_id,
    d.content,
    case when d.content = 'explanation' then p.tables_document_id else d.document_id end as tables_document_id,
    -- The other half of a split publication, seen from either half.
    coalesce(
        p.tables_document_id,
        (select min(q.document_id) from partners as q where q.tables_document_id = d.document_id)
    ) as paired_document_id
from documents as d
left join partners as p on p.document_id = d.document_id
