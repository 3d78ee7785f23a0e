{{ config(materialized='incremental') }}
-- Every invariant as rows of (expected, actual, parts): the input the great-expectations suites validate, with where
-- each side is printed (check_sides: table or prose, rows, columns, pages, row labels) for the run report.
{% set amount_columns = ['total', 'basic', 'project'] %}
{% set gpb_sources = "('general_public_budget', 'gpb_basic_allocation', 'gpb_duty_project', 'gpb_special_fund', 'gpb_investment_project', 'prior_year_carryover')" %}
{#- What a reader finds at the left of an expenditure row: its code and name, else the entity or the name. #}
{% set row_label = "coalesce(nullif(code, '') || ' ' || name, nullif(entity_label, ''), name, '')" %}

with summary as (
    select * from {{ batch_of('int_summary_rows') }} where row_key is not null and not is_blank
),

-- A total the summary prints without its amount: no comparison can use it, so say so (a warning, not a flag).
blank_totals as (
    select
        s.document_id,
        'amounts_readable' as check_id,
        'T' || t.table_no || ' p.' || s.page || ' ' || s.item || ' prints no amount' as subject,
        cast(null as decimal(20, 2)) as expected_yuan,
        cast(null as decimal(20, 2)) as actual_yuan,
        0 as parts,
        0 as rounding_yuan,
        cast(s.page as varchar) as pages,
        {{ check_sides(
            's.table_key', 's.row_number', "s.side || '_amount'", 's.page', 's.item',
            's.table_key', '[s.row_number]', "[s.side || '_amount']", '[s.page]', 's.item'
        ) }}
    from {{ batch_of('int_summary_rows') }} as s
    inner join {{ batch_of('stg_tables') }} as t on t.document_id = s.document_id and t.table_key = s.table_key
    where s.is_blank and s.row_key in ('grand_total', 'current_year')
    qualify row_number() over (partition by s.document_id, s.table_key, s.side, s.row_number order by s.row_key) = 1
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
        r.page || ',' || e.page as pages,
        {{ check_sides(
            'r.table_key', 'r.row_number', "r.side || '_amount'", 'r.page', 'r.item',
            'e.table_key', '[e.row_number]', "[e.side || '_amount']", '[e.page]', 'e.item'
        ) }}
    from summary as r
    inner join summary as e on e.document_id = r.document_id and e.table_key = r.table_key
    inner join {{ batch_of('stg_tables') }} as t on t.document_id = r.document_id and t.table_key = r.table_key
    where r.side = 'revenue' and r.row_key = 'grand_total' and e.side = 'expenditure' and e.row_key = 'grand_total'
),

-- 总计 = this year's 合计 + what is carried (上年结转, 用事业基金弥补收支差额 … may be printed on several rows).
summary_composition as (
    select
        g.document_id,
        g.side || '_composition' as check_id,
        'T' || t.table_no || ' ' || g.item || ' = ' || c.item || ' + ' || string_agg(k.item, ' + ' order by k.row_number) as subject,
        g.amount_yuan as expected_yuan,
        c.amount_yuan + sum(k.amount_yuan) as actual_yuan,
        1 + count(*) as parts,
        {{ half_last_digit('g.decimals', 'g.unit_factor') }} as rounding_yuan,
        g.page || ',' || c.page || ',' || {{ page_list('k.page') }} as pages,
        {{ check_sides(
            'g.table_key', 'g.row_number', "g.side || '_amount'", 'g.page', 'g.item',
            'g.table_key', 'list_prepend(c.row_number, list(k.row_number order by k.row_number))', "[g.side || '_amount']",
            'list_sort(list_distinct(list_prepend(c.page, list(k.page))))',
            "c.item || ' + ' || string_agg(k.item, ' + ' order by k.row_number)"
        ) }}
    from summary as g
    inner join summary as c on c.document_id = g.document_id and c.table_key = g.table_key and c.side = g.side
    inner join summary as k on k.document_id = g.document_id and k.table_key = g.table_key and k.side = g.side
    inner join {{ batch_of('stg_tables') }} as t on t.document_id = g.document_id and t.table_key = g.table_key
    where g.row_key = 'grand_total' and c.row_key = 'current_year' and k.row_key = 'carryover'
    group by
        g.document_id, g.side, t.table_no, g.item, c.item, g.amount_yuan, c.amount_yuan, g.decimals, g.unit_factor, g.page,
        c.page, g.table_key, g.row_number, c.row_number
),

expenditure as (
    select * from {{ batch_of('int_expenditure_rows') }}
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
        {{ page_list('c.page') }} as pages,
        {{ check_sides(
            'p.table_key', 'p.row_number', "'" ~ column ~ "'", 'p.page', "p.subject_code || ' ' || p.subject_name",
            'p.table_key', 'list(c.row_number order by c.row_number)', "['" ~ column ~ "']", side_pages('c.page'),
            side_rows("c.subject_code || ' ' || c.subject_name", 'c.row_number')
        ) }}
    from expenditure as p
    inner join expenditure as c
        on c.document_id = p.document_id and c.table_key = p.table_key and c.parent_code = p.subject_code
    where p.{{ column }}_yuan is not null
    group by all
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

table_totals as (
    select * from {{ batch_of('int_table_rows') }} where kind = 'expenditure' and is_table_total
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
        {{ page_list('e.page') }} as pages,
        {{ check_sides(
            't.table_key', 't.row_number', "'" ~ column ~ "'", 't.page', "coalesce(nullif(t.name, ''), t.label)",
            't.table_key', 'list(e.row_number order by e.row_number)', "['" ~ column ~ "']", side_pages('e.page'),
            side_rows("e.subject_code || ' ' || e.subject_name", 'e.row_number')
        ) }}
    from table_totals as t
    inner join expenditure as e on e.document_id = t.document_id and e.table_key = t.table_key and e.level = 1
    where t.{{ column }}_yuan is not null
    group by all
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- Every printed amount with what a reader finds at the left of its row: its code and name, else e.g. 合计.
figures as (
    select f.*, coalesce(nullif(trim(concat_ws(' ', f.code, f.name)), ''), r.label) as row_label
    from {{ batch_of('int_table_figures') }} as f
    inner join {{ batch_of('int_table_rows') }} as r using (document_id, table_key, row_number)
),

-- The spending parts each expenditure row prints (seed row_total_parts): 基本支出, 项目支出, and any other part its
-- table prints beside them (单位预留机动经费, 经营支出 …).
row_parts as (
    select
        f.document_id,
        f.table_key,
        f.row_number,
        k.check_id,
        sum(f.amount_yuan) as parts_yuan,
        count(*) as parts,
        count(*) filter (where k.required) as required_parts,
        list(f.column_key order by f.column_key) as part_keys
    from figures as f
    inner join {{ ref('row_total_parts') }} as k on k.column_key = f.column_key
    where f.amount_yuan is not null
    group by all
),

-- A row printing its total and every required part: the total = the sum of the parts it prints.
row_totals as (
    select
        r.document_id,
        p.check_id,
        'T' || r.table_no || ' row ' || r.row_number || ' ' || {{ row_label }} || ' total = ' || array_to_string(p.part_keys, ' + ')
            as subject,
        r.total_yuan as expected_yuan,
        p.parts_yuan as actual_yuan,
        p.parts,
        {{ half_last_digit('r.decimals', 'r.unit_factor') }} as rounding_yuan,
        cast(r.page as varchar) as pages,
        {{ check_sides(
            'r.table_key', 'r.row_number', "'total'", 'r.page', row_label,
            'r.table_key', '[r.row_number]', 'p.part_keys', '[r.page]', row_label
        ) }}
    from {{ batch_of('int_table_rows') }} as r
    inner join row_parts as p using (document_id, table_key, row_number)
    where
        r.kind = 'expenditure' and r.total_yuan is not null
        and p.required_parts = (select count(*) from {{ ref('row_total_parts') }} as q where q.check_id = p.check_id and q.required)
),

by_source_totals as (
    select * from figures where is_table_total
),

-- Equalities between two tables, declared as data (seed table_invariants).
cross_table as (
    select
        a.document_id,
        checks.check_id,
        'T' || a.table_no || ' ' || a.column_key || ' total = T' || b.table_no || ' ' || b.column_key || ' total' as subject,
        b.amount_yuan as expected_yuan,
        a.amount_yuan as actual_yuan,
        1 as parts,
        greatest({{ half_last_digit('a.decimals', 'a.unit_factor') }}, {{ half_last_digit('b.decimals', 'b.unit_factor') }}) as rounding_yuan,
        a.page || ',' || b.page as pages,
        {{ check_sides(
            'b.table_key', 'b.row_number', 'b.cell_column', 'b.page', 'b.row_label',
            'a.table_key', '[a.row_number]', '[a.column_key]', '[a.page]', 'a.row_label'
        ) }}
    from {{ ref('table_invariants') }} as checks
    inner join by_source_totals as a on a.table_key = checks.table_a and a.column_key = checks.column_a
    inner join (
        select
            document_id, table_key, table_no, column_key, amount_yuan, page, unit_factor, decimals, row_number,
            column_key as cell_column, row_label
        from by_source_totals
        union all
        select
            s.document_id, s.table_key, t.table_no, s.side || ':' || s.row_key, s.amount_yuan, s.page, s.unit_factor, s.decimals,
            s.row_number, s.side || '_amount', s.item
        from summary as s
        inner join {{ batch_of('stg_tables') }} as t on t.document_id = s.document_id and t.table_key = s.table_key
    ) as b on b.document_id = a.document_id and b.table_key = checks.table_b and b.column_key = checks.column_b
),

-- Revenue other than 一般公共预算 (its printed leaves, so no subtotal counts twice): when there is none, the
-- 一般公共预算 function table must print what the all-funds table prints.
revenue_sources as (
    select f.document_id, coalesce(sum(f.amount_yuan) filter (where f.is_leaf and s.fund_source_code not in {{ gpb_sources }}), 0) as non_budget_yuan
    from {{ batch_of('int_fund_source_amounts') }} as f
    inner join {{ ref('fund_sources') }} as s on s.fund_source_code = f.fund_source_code
    where f.kind = 'revenue' and f.is_entity_row
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
        g.page || ',' || a.page as pages,
        {{ check_sides(
            'a.table_key', 'a.row_number', "'" ~ column ~ "'", 'a.page', "a.subject_code || ' ' || a.subject_name",
            'g.table_key', '[g.row_number]', "['" ~ column ~ "']", '[g.page]', "g.subject_code || ' ' || g.subject_name"
        ) }}
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
        s.page || ',' || e.page as pages,
        {{ check_sides(
            'e.table_key', 'e.row_number', "'total'", 'e.page', "e.subject_code || ' ' || e.subject_name",
            's.table_key', '[s.row_number]', "['expenditure_amount']", '[s.page]', 's.item'
        ) }}
    from {{ batch_of('int_summary_rows') }} as s
    inner join {{ batch_of('stg_tables') }} as t on t.document_id = s.document_id and t.table_key = s.table_key
    inner join expenditure as e
        on e.document_id = s.document_id and e.fund_scope = 'all_funds' and e.classification = 'function' and e.level = 1
        and e.subject_name = regexp_replace(s.item, '^[一二三四五六七八九十]+、', '')
    where s.table_key = 'income_expense_summary' and s.side = 'expenditure' and s.row_key is null
),

three_public as (
    select * from {{ batch_of('int_three_public') }}
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
        cast(t.page as varchar) as pages,
        {{ check_sides(
            "'three_public'", 't.row_number', three_public_column('t'), 't.page', "t.fiscal_year || '年'",
            "'three_public'", 'list_distinct(list(p.row_number order by p.row_number))', 'list(' ~ three_public_column('p') ~ ' order by p.category)',
            side_pages('p.page'), "t.fiscal_year || '年'"
        ) }}
    from three_public as t
    inner join three_public as p
        -- The parts of a figure are printed on its row, or (a table of a row per category) for its year and unit.
        on p.document_id = t.document_id and p.fiscal_year = t.fiscal_year and p.is_budget = t.is_budget
        and p.unit_label is not distinct from t.unit_label
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
        {{ page_list('u.page') }} as pages,
        {{ check_sides(
            "'three_public'", 'e.row_number', three_public_column('e'), 'e.page', "e.fiscal_year || '年'",
            "'three_public'", 'list(u.row_number order by u.row_number)', '[' ~ three_public_column('e') ~ ']', side_pages('u.page'),
            side_rows('u.unit_label', 'u.row_number')
        ) }}
    from (
        select * from three_public where is_entity_row
        qualify row_number() over (partition by document_id, fiscal_year, category, is_budget order by row_number) = 1
    ) as e
    inner join three_public as u
        on u.document_id = e.document_id and u.fiscal_year = e.fiscal_year and u.category = e.category
        and u.is_budget = e.is_budget and not u.is_entity_row
    group by all
),

-- A table listing a department's units under its total row (seed unit_rollups): each column of the total = the sum
-- of the units'. A column neither side prints an amount in has nothing to compare.
units_sum as (
    select
        t.document_id,
        k.check_id,
        'T' || t.table_no || ' ' || t.row_label || ' ' || t.column_key || ' = Σ units' as subject,
        t.amount_yuan as expected_yuan,
        sum(u.amount_yuan) as actual_yuan,
        count(*) as parts,
        {{ half_last_digit('t.decimals', 't.unit_factor') }} as rounding_yuan,
        {{ page_list('u.page') }} as pages,
        {{ check_sides(
            't.table_key', 't.row_number', 't.column_key', 't.page', 't.row_label',
            't.table_key', 'list(u.row_number order by u.row_number)', '[t.column_key]', side_pages('u.page'),
            side_rows('r.unit_name', 'u.row_number')
        ) }}
    from {{ ref('unit_rollups') }} as k
    inner join by_source_totals as t on t.table_key = k.table_key
    inner join {{ batch_of('int_unit_rows') }} as r
        on r.document_id = t.document_id and r.table_key = t.table_key and r.total_row_number = t.row_number
    inner join figures as u
        on u.document_id = r.document_id and u.table_key = r.table_key and u.row_number = r.row_number
        and u.column_key = t.column_key
    group by all
    having t.amount_yuan <> 0 or bool_or(u.amount_yuan <> 0)
),

fund_sources_sum as (
    -- A row's total = the sum of the sources it prints at the top of their grouping.
    select
        t.document_id,
        'fund_sources_sum' as check_id,
        'T' || t.table_no || ' ' || concat_ws(' ', p.row_code, p.row_label) || ' total = Σ sources' as subject,
        t.amount_yuan as expected_yuan,
        sum(p.amount_yuan) as actual_yuan,
        count(*) as parts,
        {{ half_last_digit('t.decimals', 't.unit_factor') }} as rounding_yuan,
        cast(t.page as varchar) as pages,
        {{ check_sides(
            't.table_key', 't.row_number', "'total'", 't.page', "concat_ws(' ', p.row_code, p.row_label)",
            't.table_key', '[t.row_number]', 'list(p.fund_source_code order by p.fund_source_code)', side_pages('p.page'),
            "concat_ws(' ', p.row_code, p.row_label)"
        ) }}
    from {{ batch_of('int_table_figures') }} as t
    inner join {{ batch_of('int_fund_source_amounts') }} as p
        on p.document_id = t.document_id and p.table_key = t.table_key and p.row_number = t.row_number
    where t.column_key = 'total' and p.printed_parent is null
    group by all
    union all
    -- A printed subtotal = the sum of the sources printed under it.
    select
        g.document_id,
        'fund_sources_sum' as check_id,
        'T' || g.table_no || ' ' || concat_ws(' ', g.row_code, g.row_label, g.fund_source_code) || ' = Σ parts' as subject,
        g.amount_yuan as expected_yuan,
        sum(p.amount_yuan) as actual_yuan,
        count(*) as parts,
        {{ half_last_digit('g.decimals', 'g.unit_factor') }} as rounding_yuan,
        cast(g.page as varchar) as pages,
        {{ check_sides(
            'g.table_key', 'g.row_number', 'g.fund_source_code', 'g.page', "concat_ws(' ', g.row_code, g.row_label)",
            'g.table_key', '[g.row_number]', 'list(p.fund_source_code order by p.fund_source_code)', side_pages('p.page'),
            "concat_ws(' ', g.row_code, g.row_label)"
        ) }}
    from {{ batch_of('int_fund_source_amounts') }} as g
    inner join {{ batch_of('int_fund_source_amounts') }} as p
        on p.document_id = g.document_id and p.table_key = g.table_key and p.row_number = g.row_number
        and p.printed_parent = g.fund_source_code
    group by all
),

-- A statement is compared only when it ties to one printed figure: every table cell its address finds prints the
-- same amount. A statement that could mean either of two different figures is kept in fct_narrative_figure but
-- never compared, so it can never flag an honest document.
narrative_candidates as (
    select
        n.document_id,
        n.figure_number,
        '第' || n.page || '页 ' || n.figure_key || coalesce(' ' || n.label, '') || ' = '
        || case when pair.tables_document_id <> n.document_id then tables_pdf.source_file || ' ' else '' end
        || 'T' || f.table_no || ' ' || f.column_key as subject,
        f.amount_yuan as expected_yuan,
        n.amount_yuan as actual_yuan,
        greatest({{ half_last_digit('n.decimals', 'n.unit_factor') }}, {{ half_last_digit('f.decimals', 'f.unit_factor') }}) as rounding_yuan,
        n.page || ',' || f.page as pages,
        f.row_number,
        {{ check_sides(
            'f.table_key', 'f.row_number', 'f.cell_column', 'f.page', 'f.row_label',
            "'narrative'", 'null', 'null', '[n.page]', 'n.snippet',
            expected_document='nullif(f.document_id, n.document_id)'
        ) }}
    from {{ batch_of('int_narrative_figures') }} as n
    inner join {{ batch_of('stg_documents') }} as d on d.document_id = n.document_id
    -- The prose of an explanation-only PDF is checked against the tables PDF of its split publication.
    inner join {{ batch_of('int_document_pairs') }} as pair on pair.document_id = n.document_id
    inner join {{ batch_of('stg_documents') }} as tables_pdf on tables_pdf.document_id = pair.tables_document_id
    inner join {{ ref('narrative_checks') }} as m on m.layout = d.layout and m.figure_key = n.figure_key
    inner join (
        select
            document_id, table_key, table_no, column_key, amount_yuan, page, code, name, name_path, is_table_total,
            fiscal_year, entity_label, unit_factor, decimals, row_number, column_key as cell_column, row_label
        from figures
        union all
        select
            s.document_id, s.table_key, t.table_no, 'amount', s.amount_yuan, s.page, null, s.side || ':' || s.row_key, null,
            false, null, null, s.unit_factor, s.decimals, s.row_number, s.side || '_amount', s.item
        from summary as s
        inner join {{ batch_of('stg_tables') }} as t on t.document_id = s.document_id and t.table_key = s.table_key
        union all
        -- 三公 figures by category, from a column per category or a row per category alike.
        select
            p.document_id, 'three_public', t.table_no, {{ three_public_column('p') }}, p.amount_yuan, p.page, null,
            'three_public', null, false, p.fiscal_year, p.unit_label, p.unit_factor, p.decimals, p.row_number,
            {{ three_public_column('p') }}, p.fiscal_year || '年'
        from three_public as p
        inner join {{ batch_of('stg_tables') }} as t on t.document_id = p.document_id and t.table_key = 'three_public'
        where p.is_entity_row
    ) as f
        on f.document_id = pair.tables_document_id and f.table_key = m.table_key and f.column_key = m.column_key
        and (
            (m.address_kind = 'total_row' and f.is_table_total)
            or (m.address_kind = 'code' and f.code = m.address)
            or (m.address_kind = 'name' and f.name = replace(m.address, '{label}', coalesce(n.label, '')))
            or (m.address_kind = 'name_path' and f.name_path = replace(m.address, '{label}', coalesce(n.label, '')))
            or (m.address_kind = 'summary' and list_contains(string_split(m.address, '|'), f.name))
            or (m.address_kind = 'three_public' and f.name = 'three_public' and f.fiscal_year = d.fiscal_year)
        )
),

narrative as (
    select
        document_id, 'narrative_matches_tables' as check_id, subject, expected_yuan, actual_yuan, 1 as parts, rounding_yuan, pages,
        expected_source, expected_row_number, expected_column_key, expected_page, expected_row_label,
        actual_source, actual_row_numbers, actual_column_keys, actual_pages, actual_row_label, expected_document_id
    from narrative_candidates
    qualify
        count(distinct expected_yuan) over (partition by document_id, figure_number) = 1
        and row_number() over (partition by document_id, figure_number order by row_number) = 1
),

-- A code printed again in a table counts once (int_expenditure_rows); each repeat must print the same. (Rows that
-- are parts of the code's figure, int_repeated_codes, are no repeats.)
repeated as (
    select *, row_number() over (partition by document_id, table_key, code order by row_number) as occurrence
    from {{ batch_of('int_table_rows') }}
    where
        kind = 'expenditure' and regexp_full_match(coalesce(code, ''), '[0-9]{3}([0-9]{2}){0,2}')
        and (document_id, table_key) not in (select document_id, table_key from {{ batch_of('int_repeated_codes') }} where sums_repeats)
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
        f.page || ',' || r.page as pages,
        {{ check_sides(
            'f.table_key', 'f.row_number', "'" ~ column ~ "'", 'f.page', "f.code || ' ' || coalesce(f.name, '')",
            'r.table_key', '[r.row_number]', "['" ~ column ~ "']", '[r.page]', "r.code || ' ' || coalesce(r.name, '')"
        ) }}
    from repeated as r
    inner join repeated as f on f.document_id = r.document_id and f.table_key = r.table_key and f.code = r.code and f.occurrence = 1
    where r.occurrence > 1 and (r.{{ column }}_yuan is not null or f.{{ column }}_yuan is not null)
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- A printed amount cell that is not a number (a blank, - or 0.00 is zero): the figure is lost, so say where.
unreadable_amounts as (
    select
        c.document_id,
        'amounts_readable' as check_id,
        'T' || c.table_no || ' p.' || c.page || ' row ' || c.row_number || ' ' || coalesce(nullif(c.header_label, ''), c.column_key)
        || ' prints "' || c.printed || '"' as subject,
        cast(null as decimal(20, 2)) as expected_yuan,
        cast(null as decimal(20, 2)) as actual_yuan,
        0 as parts,
        0 as rounding_yuan,
        cast(c.page as varchar) as pages,
        {{ check_sides(
            'c.table_key', 'c.row_number', 'c.column_key', 'c.page', 'r.label',
            'c.table_key', '[c.row_number]', '[c.column_key]', '[c.page]', 'r.label'
        ) }}
    from {{ batch_of('int_table_cells') }} as c
    inner join {{ batch_of('int_table_rows') }} as r using (document_id, table_key, row_number)
    where c.is_amount and c.column_key is not null and c.unit_factor is not null and c.amount_yuan is null
),

-- What the extractor found odd about a document as a whole: a finding has no amounts to compare, so it fails.
document_findings as (
    select
        document_id,
        check_id,
        subject,
        cast(null as decimal(20, 2)) as expected_yuan,
        cast(null as decimal(20, 2)) as actual_yuan,
        0 as parts,
        0 as rounding_yuan,
        pages,
        {{ check_sides(
            'null', 'null', 'null', 'null', 'null',
            'null', 'null', 'null', "[cast(p as integer) for p in string_split(pages, ',') if p <> '']", 'subject'
        ) }}
    from {{ batch_of('stg_findings') }}
),

-- An explanation published without its tables: its figures are kept, but nothing can be compared until the
-- tables PDF of the same entity and year is loaded beside it.
unpaired_explanations as (
    select
        document_id,
        'tables_published' as check_id,
        'the file prints no table, and no tables-only PDF of the same entity, year and type is loaded' as subject,
        cast(null as decimal(20, 2)) as expected_yuan,
        cast(null as decimal(20, 2)) as actual_yuan,
        0 as parts,
        0 as rounding_yuan,
        cast(null as varchar) as pages,
        {{ check_sides('null', 'null', 'null', 'null', 'null', 'null', 'null', 'null', 'null', 'subject') }}
    from {{ batch_of('int_document_pairs') }}
    where content = 'explanation' and tables_document_id is null
),

comparisons as (
    select * from summary_balance
    union all select * from summary_composition
    union all select * from hierarchy
    union all select * from classes_sum
    union all select * from row_totals
    union all select * from cross_table
    union all select * from gpb_vs_all_funds
    union all select * from summary_classes
    union all select * from three_public_parts
    union all select * from three_public_units_sum
    union all select * from units_sum
    union all select * from fund_sources_sum
    union all select * from narrative
    union all select * from repeated_rows
    union all select * from unreadable_amounts
    union all select * from document_findings
    union all select * from unpaired_explanations
    union all select * from blank_totals
),

-- Each column's printed header, without the amounts of a first data row read into it ('本年支出合计/2,940.05').
headers as (
    select
        document_id,
        table_key,
        column_key,
        min(column_index) as column_index,
        min(array_to_string([level for level in string_split(header_label, '/') if not regexp_full_match(level, '-?[0-9][0-9,]*(\.[0-9]+)?')], '/'))
            as header_label
    from {{ batch_of('stg_table_columns') }}
    where column_key is not null
    group by all
),

-- Each table by its number and title, and its columns' headers in printed order.
tables as (
    select
        t.document_id,
        t.table_key,
        {{ table_number('t.table_no') }} as table_number,
        {{ table_number('t.table_no') }} || ' ' || regexp_replace(t.title, '^表[一二三四五六七八九十]+[:：]\s*', '') as table_name,
        list(h.column_key order by h.column_index) as columns,
        map(list(h.column_key order by h.column_index), list(h.header_label order by h.column_index)) as headers
    from {{ batch_of('stg_tables') }} as t
    inner join headers as h on h.document_id = t.document_id and h.table_key = t.table_key
    group by all
),

-- A side's item is its row labels and column headers ('总计 · 收入/决算数'; the actual side's columns in printed order),
-- or the prose's sentence; its label adds the table ('表四 财政拨款收入支出决算总表 · 总计 · 收入/决算数'), below.
items as (
    select
        c.*,
        et.table_number as expected_table,
        concat_ws(' · ', nullif(trim(c.expected_row_label), ''), et.headers[c.expected_column_key]) as expected_item,
        act.table_number as actual_table,
        concat_ws(
            ' · ',
            nullif(trim(c.actual_row_label), ''),
            nullif(array_to_string([act.headers[k] for k in act.columns if list_contains(c.actual_column_keys, k)], ' + '), '')
        ) as actual_item,
        et.table_name as expected_table_name,
        act.table_name as actual_table_name
    from comparisons as c
    left join tables as et on et.document_id = coalesce(c.expected_document_id, c.document_id) and et.table_key = c.expected_source
    left join tables as act on act.document_id = c.document_id and act.table_key = c.actual_source
),

sides as (
    select
        *,
        concat_ws(' · ', expected_table_name, expected_item) as expected_label,
        concat_ws(' · ', actual_table_name, actual_item) as actual_label
    from items
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
    c.pages,
    {{ check_side_columns('c') }}
from sides as c
inner join {{ ref('checks') }} as k on k.check_id = c.check_id
-- A table that prints no unit cannot be read in yuan: its comparisons would accuse a document of a wrong total.
where c.rounding_yuan is not null
