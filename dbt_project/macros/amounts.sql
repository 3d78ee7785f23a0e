{# Printed amount × unit factor, exact: 万元 has two decimals, so yuan never needs rounding. #}
{% macro to_yuan(amount, unit_factor) -%}
    cast({{ amount }} * {{ unit_factor }} as decimal(20, 2))
{%- endmacro %}

{# Half the last digit a figure is printed with, in yuan: how far it may lie from the amount it rounds
   (0.005 万元 = 50 元 for 0.00 万元, 0.5 元 for whole 元). Decimals unknown (only zeros printed): two. #}
{% macro half_last_digit(decimals, unit_factor) -%}
    (0.5 * power(10, -coalesce({{ decimals }}, 2)) * {{ unit_factor }})
{%- endmacro %}

{# The rounding allowance for a total of n printed parts: half a last digit for each part and for the total,
   rounded up to the cent. #}
{% macro rounding_tolerance(parts, half_digit_yuan) -%}
    cast(ceil(round({{ half_digit_yuan }} * ({{ parts }} + 1) * 100, 6)) / 100 as decimal(20, 2))
{%- endmacro %}

{# Distinct pages in page order, e.g. '11,12': deterministic, so reruns give identical rows. #}
{% macro page_list(page) -%}
    array_to_string(list_sort(list_distinct(list({{ page }}))), ',')
{%- endmacro %}

{# A row that stands for the disclosing body itself rather than one of its units: a 合计 row, an unlabelled
   row, or a label that is the entity's name (with or without its （本级）). #}
{% macro is_entity_label(label, entity_name) -%}
    (
        coalesce({{ label }}, '') in ('', '合计', '总计')
        or {{ label }} = {{ entity_name }}
        or starts_with({{ entity_name }}, {{ label }})
        or {{ label }} = regexp_replace({{ entity_name }}, '（本级）$', '')
    )
{%- endmacro %}

{# Yuan as 万元 the way the disclosures print them: two decimals, rounded half away from zero, exactly (decimal arithmetic). #}
{% macro to_wan(yuan) -%}
    cast(round({{ yuan }} * 0.0001, 2) as decimal(18, 2))
{%- endmacro %}
