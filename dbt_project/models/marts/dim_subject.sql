-- 政府收支分类科目 seen in any document; the official name where known, else the latest printed one. Each code with
-- its path 类 > 款 > 项 (codes, names, English names where the project's seed has one).
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
),

subjects as (
    select
        p.classification,
        p.code,
        coalesce(o.name, p.name) as name,
        o.name_en,
        cast(p.level as integer) as level,
        p.parent_code
    from printed as p
    left join {{ ref('subject_names') }} as o on o.classification = p.classification and o.code = p.code
    where p.recency = 1
),

-- A 类 or 款 named by the seed or by a print, even where the code itself is never printed.
named as (
    select classification, code, name, name_en from {{ ref('subject_names') }}
    union all
    select classification, code, name, name_en
    from subjects as s
    where not exists (select 1 from {{ ref('subject_names') }} as o where o.classification = s.classification and o.code = s.code)
),

paths as (
    select
        s.*,
        left(s.code, 3) as class_code,
        case when s.level >= 2 then left(s.code, 5) end as section_code,
        case when s.level = 3 then s.code end as item_code
    from subjects as s
)

select
    p.classification,
    p.code,
    p.name,
    p.level,
    p.parent_code,
    p.name_en,
    p.class_code,
    c.name as class_name,
    c.name_en as class_name_en,
    p.section_code,
    k.name as section_name,
    k.name_en as section_name_en,
    p.item_code,
    case when p.level = 3 then p.name end as item_name,
    case when p.level = 3 then p.name_en end as item_name_en,
    concat_ws(' > ', p.class_code || ' ' || c.name, p.section_code || ' ' || k.name, p.item_code || ' ' || p.name) as path,
    concat_ws(
        ' > ', coalesce(c.name_en, c.name), case when p.level >= 2 then coalesce(k.name_en, k.name) end,
        case when p.level = 3 then coalesce(p.name_en, p.name) end
    ) as path_en
from paths as p
left join named as c on c.classification = p.classification and c.code = p.class_code
left join named as k on k.classification = p.classification and k.code = p.section_code
