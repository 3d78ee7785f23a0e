{# Where the two sides of a comparison are printed, in the order every CTE of int_check_comparisons selects them
   (they are unioned by position). The expected side is one printed cell; the actual side is the cells
   actual_rows × actual_columns of its table (or the prose, where the source is 'narrative', its rows and columns null).
   The row labels are what a reader finds at the left of those rows; the final select adds the column headers.
   The expected cell is printed in another document only for the prose of a split publication (int_document_pairs). #}
{% macro check_sides(expected_source, expected_row, expected_column, expected_page, expected_row_label,
                     actual_source, actual_rows, actual_columns, actual_pages, actual_row_label,
                     expected_document='cast(null as varchar)') -%}
    {{ expected_source }} as expected_source,
    {{ expected_row }} as expected_row_number,
    {{ expected_column }} as expected_column_key,
    cast({{ expected_page }} as integer) as expected_page,
    {{ expected_row_label }} as expected_row_label,
    {{ actual_source }} as actual_source,
    cast({{ actual_rows }} as integer[]) as actual_row_numbers,
    cast({{ actual_columns }} as varchar[]) as actual_column_keys,
    cast({{ actual_pages }} as integer[]) as actual_pages,
    {{ actual_row_label }} as actual_row_label,
    {{ expected_document }} as expected_document_id
{%- endmacro %}

{# The sides' columns of int_check_comparisons as it outputs them (reconciliation_result carries them on): the interface
   the run report reads. See int_check_comparisons.yml. #}
{% macro check_side_columns(alias) -%}
    {%- set columns = [
        'expected_source', 'expected_table', 'expected_page', 'expected_item', 'expected_label', 'expected_row_number', 'expected_column_key',
        'expected_document_id',
        'actual_source', 'actual_table', 'actual_pages', 'actual_item', 'actual_label', 'actual_row_numbers', 'actual_column_keys',
    ] -%}
    {%- for column in columns %}{{ alias }}.{{ column }}{% if not loop.last %}, {% endif %}{% endfor -%}
{%- endmacro %}

{# Distinct pages of an aggregated side, in page order. #}
{% macro side_pages(page) -%}
    list_sort(list_distinct(list({{ page }})))
{%- endmacro %}

{# Row labels of an aggregated side, in printed order, joined by ' + '. #}
{% macro side_rows(label, row_number) -%}
    string_agg({{ label }}, ' + ' order by {{ row_number }})
{%- endmacro %}

{# A table by its number as a reader finds it: 表四. #}
{% macro table_number(table_no) -%}
    coalesce('表' || ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'][{{ table_no }}], 'T' || {{ table_no }})
{%- endmacro %}

{# The printed column of a 三公 figure, as int_three_public splits it: the category, and __budget for a 预算数. #}
{% macro three_public_column(alias) -%}
    {{ alias }}.category || case when {{ alias }}.is_budget then '__budget' else '' end
{%- endmacro %}
