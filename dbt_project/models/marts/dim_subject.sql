-- 政府收支分类科目 seen in any document; the official name where known, else the latest printed one.
with printed as (
    select
        e.classification,
        e.subject_code as code,
        e.subject_name as name,
        e.level,
        e.parent_code,
        row_number() over (
            partition by e.classification, e.subject_code
            order by d.fiscal_year desc, d.extracted_at desc, e.table_no
        ) as recency
    from {{ ref('int_expenditure_rows') }} as e
    inner join {{ ref('stg_documents') }} as d on d.document_id = e.document_id
)

select
    p.classification,
    p.code,
    coalesce(o.name, p.name) as name,
    cast(p.level as integer) as level,
    p.parent_code
from printed as p
left join {{ ref('subject_names') }} as o on o.classification = p.classification and o.code = p.code
where p.recency = 1
