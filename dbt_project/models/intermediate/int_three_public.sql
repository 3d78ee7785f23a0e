{{ config(materialized='incremental') }}
-- 三公经费 by category, the year each figure is for, the unit a row is printed for, and whether it is the 预算数
-- a final account prints beside its 决算数. A department with several units prints a row per unit and year
-- (the unit's name merged down over its year rows) beside the department's own rows. Most tables print a column
-- per category (Shenzhen's 2026 tables split each category by fund source: summed here); some print a row per
-- category (项目 | 预算数), read by its words (seed three_public_items). Last year's figures are printed as rows
-- of their own (a row per year) or as columns beside this year's.
{% set categories = "('total', 'overseas_travel', 'reception', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'admin_operation')" %}
with cells as (
    select c.*, d.fiscal_year as document_year, d.entity_name
    from {{ batch_of('int_table_cells') }} as c
    inner join {{ batch_of('stg_documents') }} as d on d.document_id = c.document_id
    where c.kind = 'three_public'
),

printed_rows as (
    select
        document_id,
        row_number,
        max(case when column_key = 'entity' then text end) as unit_label,
        max(case when column_key = 'year_label' then text end) as year_label,
        max(case when column_key = 'item' then text end) as item_label,
        try_cast(regexp_extract(max(case when column_key = 'year_label' then text end), '([0-9]{4})', 1) as integer) as label_year
    from cells
    group by all
),

-- Some tables print last year beside this year, one row each (and a row of the change, which is no year);
-- the others print one row for the document's year.
by_year as (
    select *
    from printed_rows as r
    where r.label_year is not null or not exists (
        select 1 from printed_rows as y where y.document_id = r.document_id and y.year_label is not null
    )
),

by_column as (
    select
        c.document_id,
        c.row_number,
        split_part(c.column_key, '__', 1) as category,
        split_part(c.column_key, '__', 2) = 'budget' as is_budget,
        -- A column of last year printed beside this year's (2025年预算数 | 2026年预算数).
        case when split_part(c.column_key, '__', 2) = 'prior_year' then -1 else 0 end as year_offset,
        cast(sum(c.amount_yuan) as decimal(20, 2)) as amount_yuan,
        min(c.page) as page
    from cells as c
    inner join by_year as r on r.document_id = c.document_id and r.row_number = c.row_number
    where r.item_label is null and split_part(c.column_key, '__', 1) in {{ categories }}
    group by all
),

by_item as (
    select
        c.document_id,
        c.row_number,
        i.category,
        false as is_budget,
        0 as year_offset,
        c.amount_yuan,
        c.page
    from cells as c
    inner join by_year as r on r.document_id = c.document_id and r.row_number = c.row_number
    inner join {{ ref('three_public_items') }} as i on regexp_matches(r.item_label, i.pattern)
    where c.column_key = 'total'
    qualify row_number() over (partition by c.document_id, c.row_number order by i.rank) = 1
),

figures as (
    select * from by_column
    union all
    select * from by_item
),

tables as (
    select document_id, any_value(unit_factor) as unit_factor, any_value(decimals) as decimals
    from cells
    group by document_id
),

-- Which printed unit is the disclosing body itself. A table of one unit prints only the body; a department
-- printed above its units is the name the units' names extend (…局 above …局（本级） and …局信息中心), whatever
-- the cover calls the document; otherwise the body is the label that names the entity.
labels as (
    select distinct document_id, unit_label
    from by_year
    where coalesce(unit_label, '') not in ('', '合计', '总计')
),

parents as (
    select distinct p.document_id, p.unit_label
    from labels as p
    inner join labels as u
        on u.document_id = p.document_id and u.unit_label <> p.unit_label and starts_with(u.unit_label, p.unit_label)
),

entity_labels as (
    select l.document_id, l.unit_label
    from labels as l
    inner join {{ batch_of('stg_documents') }} as d on d.document_id = l.document_id
    where
        l.unit_label in (select p.unit_label from parents as p where p.document_id = l.document_id)
        or (select count(*) from labels as o where o.document_id = l.document_id) = 1
        or (
            not exists (select 1 from parents as p where p.document_id = l.document_id)
            and {{ is_entity_label('l.unit_label', 'd.entity_name') }}
        )
)

select
    f.document_id,
    coalesce(r.label_year, d.fiscal_year) + f.year_offset as fiscal_year,
    f.category,
    f.is_budget,
    nullif(r.unit_label, '') as unit_label,
    coalesce(r.unit_label, '') in ('', '合计', '总计') or e.unit_label is not null as is_entity_row,
    f.amount_yuan,
    t.unit_factor,
    t.decimals,
    f.page,
    f.row_number
from figures as f
inner join by_year as r on r.document_id = f.document_id and r.row_number = f.row_number
inner join tables as t on t.document_id = f.document_id
inner join {{ batch_of('stg_documents') }} as d on d.document_id = f.document_id
left join entity_labels as e on e.document_id = f.document_id and e.unit_label = r.unit_label
