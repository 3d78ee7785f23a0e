{# Printed amount × unit factor, exact: 万元 has two decimals, so yuan never needs rounding. #}
{% macro to_yuan(amount, unit_factor) -%}
    cast({{ amount }} * {{ unit_factor }} as decimal(20, 2))
{%- endmacro %}

{# The rounding allowance for a total of n printed parts: 0.005 × (n + 1) in the printed unit. #}
{% macro rounding_tolerance(parts, unit_factor) -%}
    cast(0.005 * ({{ parts }} + 1) * {{ unit_factor }} as decimal(20, 2))
{%- endmacro %}

{# Distinct pages in page order, e.g. '11,12': deterministic, so reruns give identical rows. #}
{% macro page_list(page) -%}
    array_to_string(list_sort(list_distinct(list({{ page }}))), ',')
{%- endmacro %}
