{# Schemas are named as configured (raw, staging, intermediate, marts): the contract says `marts`, not `main_marts`. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name is not none else target.schema }}
{%- endmacro %}
