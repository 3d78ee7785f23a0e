-- 三公经费 of each entity by category beside the same entity's the year before, each from its own year's document
-- (a document's figures for an earlier year are left out: they are that year's document's to give).
{% set items %}
    select t.document_id, t.category, t.amount_yuan
    from {{ ref('fct_three_public') }} as t
    inner join {{ ref('dim_document') }} as d on d.document_id = t.document_id and d.fiscal_year = t.fiscal_year
    where t.amount_yuan is not null
{% endset %}
{{ year_on_year(items, keys=['category']) }}
