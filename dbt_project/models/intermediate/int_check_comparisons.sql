-- Every invariant as rows of (expected, actual, parts): the input the great-expectations suites validate.
{% set amount_columns = ['total', 'basic', 'project'] %}

with summary as (
    select * from {{ ref('int_summary_rows') }} where row_key is not null
),

summary_balance as (
    select
        r.document_id,
        'totals_balance' as check_id,
        'T' || t.table_no || ' 收入总计 = 支出总计' as subject,
        r.amount_yuan as expected_yuan,
        e.amount_yuan as actual_yuan,
        1 as parts,
        greatest({{ half_last_digit('r.decimals', 'r.unit_factor') }}, {{ half_last_digit('e.decimals', 'e.unit_factor') }}) as rounding_yuan,
        r.page || ',' || e.page as pages
    from summary as r
    inner join summary as e on e.document_id = r.document_id and e.table_key = r.table_key
    inner join {{ ref('stg_tables') }} as t on t.document_id = r.document_id and t.table_key = r.table_key
    where r.side = 'revenue' and r.row_key = 'grand_total' and e.side = 'expenditure' and e.row_key = 'grand_total'
),

summary_composition as (
    select
        g.document_id,
        g.side || '_composition' as check_id,
        'T' || t.table_no || ' ' || g.item || ' = ' || c.item || ' + ' || k.item as subject,
        g.amount_yuan as expected_yuan,
        c.amount_yuan + k.amount_yuan as actual_yuan,
        2 as parts,
        {{ half_last_digit('g.decimals', 'g.unit_factor') }} as rounding_yuan,
        g.page || ',' || c.page || ',' || k.page as pages
    from summary as g
    inner join summary as c on c.document_id = g.document_id and c.table_key = g.table_key and c.side = g.side
    inner join summary as k on k.document_id = g.document_id and k.table_key = g.table_key and k.side = g.side
    inner join {{ ref('stg_tables') }} as t on t.document_id = g.document_id and t.table_key = g.table_key
    where g.row_key = 'grand_total' and c.row_key = 'current_year' and k.row_key = 'carryover'
),

expenditure as (
    select * from {{ ref('int_expenditure_rows') }}
),

hierarchy as (
    {% for column in amount_columns %}
    select
        p.document_id,
        p.classification || '_hierarchy' as check_id,
        'T' || p.table_no || ' ' || p.subject_code || ' ' || p.subject_name || ' {{ column }} = Σ children' as subject,
        p.{{ column }}_yuan as expected_yuan,
        sum(c.{{ column }}_yuan) as actual_yuan,
        count(*) as parts,
        {{ half_last_digit('p.decimals', 'p.unit_factor') }} as rounding_yuan,
        {{ page_list('c.page') }} as pages
    from expenditure as p
    inner join expenditure as c
        on c.document_id = p.document_id and c.table_key = p.table_key and c.parent_code = p.subject_code
    where p.{{ column }}_yuan is not null
    group by all
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

table_totals as (
    select * from {{ ref('int_table_rows') }} where kind = 'expenditure' and is_table_total
),

classes_sum as (
    {% for column in amount_columns %}
    select
        t.document_id,
        'table_total_matches_classes' as check_id,
        'T' || t.table_no || ' total row {{ column }} = Σ 类' as subject,
        t.{{ column }}_yuan as expected_yuan,
        sum(e.{{ column }}_yuan) as actual_yuan,
        count(*) as parts,
        {{ half_last_digit('t.decimals', 't.unit_factor') }} as rounding_yuan,
        {{ page_list('e.page') }} as pages
    from table_totals as t
    inner join expenditure as e on e.document_id = t.document_id and e.table_key = t.table_key and e.level = 1
    where t.{{ column }}_yuan is not null
    group by all
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

basic_plus_project as (
    select
        document_id,
        'row_total_basic_project' as check_id,
        'T' || table_no || ' row ' || row_number || ' '
        || coalesce(nullif(code, '') || ' ' || name, nullif(entity_label, ''), name, '') || ' total = basic + project' as subject,
        total_yuan as expected_yuan,
        basic_yuan + project_yuan as actual_yuan,
        2 as parts,
        {{ half_last_digit('decimals', 'unit_factor') }} as rounding_yuan,
        cast(page as varchar) as pages
    from {{ ref('int_table_rows') }}
    where kind = 'expenditure' and total_yuan is not null and basic_yuan is not null and project_yuan is not null
),

by_source_totals as (
    select * from {{ ref('int_table_figures') }} where is_table_total
),

cross_table as (
    select
        a.document_id,
        checks.check_id,
        'T' || a.table_no || ' ' || a.column_key || ' total = T' || b.table_no || ' ' || b.column_key || ' total' as subject,
        b.amount_yuan as expected_yuan,
        a.amount_yuan as actual_yuan,
        1 as parts,
        greatest({{ half_last_digit('a.decimals', 'a.unit_factor') }}, {{ half_last_digit('b.decimals', 'b.unit_factor') }}) as rounding_yuan,
        a.page || ',' || b.page as pages
    from (
        values
            ('basic_total_matches_basic_table', 'expenditure', 'basic', 'basic_expenditure', 'total'),
            ('project_total_matches_project_table', 'expenditure', 'project', 'project_expenditure', 'total'),
            ('economic_total_matches_function_total', 'gpb_economic', 'total', 'gpb_function', 'total'),
            ('economic_total_matches_function_total', 'gpb_economic', 'basic', 'gpb_function', 'basic'),
            ('economic_total_matches_function_total', 'gpb_economic', 'project', 'gpb_function', 'project'),
            ('revenue_matches_summary', 'revenue', 'total', 'income_expense_summary', 'revenue:revenue_table_total'),
            ('expenditure_matches_summary', 'expenditure', 'total', 'income_expense_summary', 'expenditure:current_year')
    ) as checks (check_id, table_a, column_a, table_b, column_b)
    inner join by_source_totals as a on a.table_key = checks.table_a and a.column_key = checks.column_a
    inner join (
        select document_id, table_key, table_no, column_key, amount_yuan, page, unit_factor, decimals from by_source_totals
        union all
        select s.document_id, s.table_key, t.table_no, s.side || ':' || s.row_key, s.amount_yuan, s.page, s.unit_factor, s.decimals
        from summary as s
        inner join {{ ref('stg_tables') }} as t on t.document_id = s.document_id and t.table_key = s.table_key
    ) as b on b.document_id = a.document_id and b.table_key = checks.table_b and b.column_key = checks.column_b
),

revenue_sources as (
    select f.document_id, sum(f.amount_yuan) as non_budget_yuan
    from {{ ref('int_fund_source_amounts') }} as f
    inner join {{ ref('fund_sources') }} as s on s.fund_source_code = f.fund_source_code
    where
        f.kind = 'revenue' and f.is_entity_row
        and s.fund_source_code not in ('general_public_budget', 'prior_year_carryover')
        and coalesce(s.parent_code, '') <> 'general_public_budget'
    group by all
),

gpb_vs_all_funds as (
    {% for column in amount_columns %}
    select
        g.document_id,
        'gpb_function_matches_all_funds' as check_id,
        'T' || g.table_no || ' ' || g.subject_code || ' ' || g.subject_name || ' {{ column }} = T' || a.table_no || ' {{ column }}' as subject,
        a.{{ column }}_yuan as expected_yuan,
        g.{{ column }}_yuan as actual_yuan,
        1 as parts,
        greatest({{ half_last_digit('g.decimals', 'g.unit_factor') }}, {{ half_last_digit('a.decimals', 'a.unit_factor') }}) as rounding_yuan,
        g.page || ',' || a.page as pages
    from expenditure as g
    inner join expenditure as a
        on a.document_id = g.document_id and a.subject_code = g.subject_code
        and a.fund_scope = 'all_funds' and a.classification = 'function'
    inner join revenue_sources as r on r.document_id = g.document_id and r.non_budget_yuan = 0
    where g.fund_scope = 'general_public_budget' and g.classification = 'function'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- The summary's expense side prints each 类 by name (with or without a Chinese ordinal): it must equal that
-- class in the all-funds function table.
summary_classes as (
    select
        s.document_id,
        'summary_classes_match_tables' as check_id,
        'T' || t.table_no || ' ' || s.item || ' = T' || e.table_no || ' ' || e.subject_code || ' total' as subject,
        e.total_yuan as expected_yuan,
        s.amount_yuan as actual_yuan,
        1 as parts,
        greatest({{ half_last_digit('s.decimals', 's.unit_factor') }}, {{ half_last_digit('e.decimals', 'e.unit_factor') }}) as rounding_yuan,
        s.page || ',' || e.page as pages
    from {{ ref('int_summary_rows') }} as s
    inner join {{ ref('stg_tables') }} as t on t.document_id = s.document_id and t.table_key = s.table_key
    inner join expenditure as e
        on e.document_id = s.document_id and e.fund_scope = 'all_funds' and e.classification = 'function' and e.level = 1
        and e.subject_name = regexp_replace(s.item, '^[一二三四五六七八九十]+、', '')
    where s.table_key = 'income_expense_summary' and s.side = 'expenditure' and s.row_key is null
),

three_public as (
    select * from {{ ref('int_three_public') }}
),

three_public_parts as (
    select
        t.document_id,
        'three_public_parts' as check_id,
        '三公 ' || coalesce(t.unit_label || ' ', '') || t.fiscal_year || ' ' || t.category
        || case when t.is_budget then ' 预算数' else '' end || ' = Σ parts' as subject,
        t.amount_yuan as expected_yuan,
        sum(p.amount_yuan) as actual_yuan,
        count(*) as parts,
        {{ half_last_digit('t.decimals', 't.unit_factor') }} as rounding_yuan,
        cast(t.page as varchar) as pages
    from three_public as t
    inner join three_public as p
        on p.document_id = t.document_id and p.row_number = t.row_number and p.is_budget = t.is_budget
        and (
            (t.category = 'total' and p.category in ('overseas_travel', 'reception', 'vehicle_total'))
            or (t.category = 'vehicle_total' and p.category in ('vehicle_purchase', 'vehicle_operation'))
        )
    group by all
),

-- A department listing its units: its own figure of each year and category = the sum of its units'.
three_public_units_sum as (
    select
        e.document_id,
        'three_public_units_sum' as check_id,
        '三公 ' || e.fiscal_year || ' ' || e.category || case when e.is_budget then ' 预算数' else '' end || ' = Σ units' as subject,
        e.amount_yuan as expected_yuan,
        sum(u.amount_yuan) as actual_yuan,
        count(*) as parts,
        {{ half_last_digit('e.decimals', 'e.unit_factor') }} as rounding_yuan,
        {{ page_list('u.page') }} as pages
    from (
        select * from three_public where is_entity_row
        qualify row_number() over (partition by document_id, fiscal_year, category, is_budget order by row_number) = 1
    ) as e
    inner join three_public as u
        on u.document_id = e.document_id and u.fiscal_year = e.fiscal_year and u.category = e.category
        and u.is_budget = e.is_budget and not u.is_entity_row
    group by all
),

fund_source_rows as (
    select f.*, s.parent_code
    from {{ ref('int_fund_source_amounts') }} as f
    inner join {{ ref('fund_sources') }} as s on s.fund_source_code = f.fund_source_code
),

fund_sources_sum as (
    select
        t.document_id,
        'fund_sources_sum' as check_id,
        'T' || t.table_no || ' ' || concat_ws(' ', p.row_code, p.row_label) || ' total = Σ sources' as subject,
        t.amount_yuan as expected_yuan,
        sum(p.amount_yuan) as actual_yuan,
        count(*) as parts,
        {{ half_last_digit('t.decimals', 't.unit_factor') }} as rounding_yuan,
        cast(t.page as varchar) as pages
    from {{ ref('int_table_figures') }} as t
    inner join fund_source_rows as p
        on p.document_id = t.document_id and p.table_key = t.table_key and p.row_number = t.row_number
    where t.column_key = 'total' and p.parent_code is null
    group by all
    union all
    select
        g.document_id,
        'fund_sources_sum' as check_id,
        'T' || g.table_no || ' ' || concat_ws(' ', g.row_code, g.row_label, g.fund_source_code) || ' = Σ parts' as subject,
        g.amount_yuan as expected_yuan,
        sum(p.amount_yuan) as actual_yuan,
        count(*) as parts,
        {{ half_last_digit('g.decimals', 'g.unit_factor') }} as rounding_yuan,
        cast(g.page as varchar) as pages
    from fund_source_rows as g
    inner join fund_source_rows as p
        on p.document_id = g.document_id and p.table_key = g.table_key and p.row_number = g.row_number
        and p.parent_code = g.fund_source_code
    group by all
),

-- A statement is compared only when it ties to one printed figure: every table cell its address finds prints the
-- same amount. A statement that could mean either of two different figures is kept in fct_narrative_figure but
-- never compared, so it can never flag an honest document.
narrative_candidates as (
    select
        n.document_id,
        n.figure_number,
        '第' || n.page || '页 ' || n.figure_key || coalesce(' ' || n.label, '') || ' = T' || f.table_no || ' ' || f.column_key as subject,
        f.amount_yuan as expected_yuan,
        n.amount_yuan as actual_yuan,
        greatest({{ half_last_digit('n.decimals', 'n.unit_factor') }}, {{ half_last_digit('f.decimals', 'f.unit_factor') }}) as rounding_yuan,
        n.page || ',' || f.page as pages,
        f.row_number
    from {{ ref('int_narrative_figures') }} as n
    inner join {{ ref('stg_documents') }} as d on d.document_id = n.document_id
    inner join {{ ref('narrative_checks') }} as m on m.layout = d.layout and m.figure_key = n.figure_key
    inner join (
        select
            document_id, table_key, table_no, column_key, amount_yuan, page, code, name, name_path, is_table_total,
            fiscal_year, entity_label, unit_factor, decimals, row_number
        from {{ ref('int_table_figures') }}
        union all
        select
            s.document_id, s.table_key, t.table_no, 'amount', s.amount_yuan, s.page, null, s.side || ':' || s.row_key, null,
            false, null, null, s.unit_factor, s.decimals, s.row_number
        from summary as s
        inner join {{ ref('stg_tables') }} as t on t.document_id = s.document_id and t.table_key = s.table_key
    ) as f
        on f.document_id = n.document_id and f.table_key = m.table_key and f.column_key = m.column_key
        and (
            (m.address_kind = 'total_row' and f.is_table_total)
            or (m.address_kind = 'code' and f.code = m.address)
            or (m.address_kind = 'name' and f.name = replace(m.address, '{label}', coalesce(n.label, '')))
            or (m.address_kind = 'name_path' and f.name_path = replace(m.address, '{label}', coalesce(n.label, '')))
            or (m.address_kind = 'summary' and f.name = m.address)
            or (m.address_kind = 'year' and f.fiscal_year = d.fiscal_year and {{ is_entity_label('f.entity_label', 'd.entity_name') }})
        )
),

narrative as (
    select document_id, 'narrative_matches_tables' as check_id, subject, expected_yuan, actual_yuan, 1 as parts, rounding_yuan, pages
    from narrative_candidates
    qualify
        count(distinct expected_yuan) over (partition by document_id, figure_number) = 1
        and row_number() over (partition by document_id, figure_number order by row_number) = 1
),

-- A code printed on several rows of one table counts once (int_expenditure_rows); each repeat must print the same.
repeated as (
    select *, row_number() over (partition by document_id, table_key, code order by row_number) as occurrence
    from {{ ref('int_table_rows') }}
    where kind = 'expenditure' and regexp_full_match(coalesce(code, ''), '[0-9]{3}([0-9]{2}){0,2}')
),

repeated_rows as (
    {% for column in amount_columns %}
    select
        r.document_id,
        'repeated_rows_agree' as check_id,
        'T' || r.table_no || ' ' || r.code || ' ' || coalesce(r.name, '') || ' {{ column }}: row ' || r.row_number
        || ' = row ' || f.row_number as subject,
        f.{{ column }}_yuan as expected_yuan,
        r.{{ column }}_yuan as actual_yuan,
        1 as parts,
        {{ half_last_digit('r.decimals', 'r.unit_factor') }} as rounding_yuan,
        f.page || ',' || r.page as pages
    from repeated as r
    inner join repeated as f on f.document_id = r.document_id and f.table_key = r.table_key and f.code = r.code and f.occurrence = 1
    where r.occurrence > 1 and (r.{{ column }}_yuan is not null or f.{{ column }}_yuan is not null)
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- A printed amount cell that is not a number (a blank, - or 0.00 is zero): the figure is lost, so say where.
unreadable_amounts as (
    select
        document_id,
        'amounts_readable' as check_id,
        'T' || table_no || ' p.' || page || ' row ' || row_number || ' ' || coalesce(nullif(header_label, ''), column_key)
        || ' prints "' || printed || '"' as subject,
        cast(null as decimal(20, 2)) as expected_yuan,
        cast(null as decimal(20, 2)) as actual_yuan,
        0 as parts,
        0 as rounding_yuan,
        cast(page as varchar) as pages
    from {{ ref('int_table_cells') }}
    where is_amount and column_key is not null and unit_factor is not null and amount_yuan is null
),

comparisons as (
    select * from summary_balance
    union all select * from summary_composition
    union all select * from hierarchy
    union all select * from classes_sum
    union all select * from basic_plus_project
    union all select * from cross_table
    union all select * from gpb_vs_all_funds
    union all select * from summary_classes
    union all select * from three_public_parts
    union all select * from three_public_units_sum
    union all select * from fund_sources_sum
    union all select * from narrative
    union all select * from repeated_rows
    union all select * from unreadable_amounts
)

-- A comparison is named by its document, check and subject; rows that print the same subject twice are told
-- apart by their pages and amounts, so the id is unique by construction and stable from run to run.
select
    md5(
        c.document_id || c.check_id || c.subject || '#'
        || row_number() over (
            partition by c.document_id, c.check_id, c.subject order by c.pages, c.expected_yuan, c.actual_yuan
        )
    ) as comparison_id,
    c.document_id,
    c.check_id,
    k.severity,
    c.subject,
    cast(c.expected_yuan as decimal(20, 2)) as expected_yuan,
    cast(c.actual_yuan as decimal(20, 2)) as actual_yuan,
    cast(c.actual_yuan - c.expected_yuan as decimal(20, 2)) as difference_yuan,
    {{ rounding_tolerance('c.parts', 'c.rounding_yuan') }} as tolerance_yuan,
    c.pages
from comparisons as c
inner join {{ ref('checks') }} as k on k.check_id = c.check_id
-- A table that prints no unit cannot be read in yuan: its comparisons would accuse a document of a wrong total.
where c.rounding_yuan is not null
