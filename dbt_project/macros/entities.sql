{# How a name is compared, not how it is shown: full-width letters, digits and punctuation as ASCII, no whitespace at
   all, and no trailing (本级): the scope (dim_document.scope) already says a document covers the unit itself. #}
{% macro name_for_identity(name) -%}
    regexp_replace(
        regexp_replace(translate(coalesce({{ name }}, ''), '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ '), '\s+', '', 'g'),
        '\(本级\)$', ''
    )
{%- endmacro %}

{# A stable id of the entity a document is of: its region, its name (or the canonical name a known rename maps it to)
   and its scope, as compared by name_for_identity. Sixteen hex digits of their MD5. #}
{% macro entity_id(region_key, name_key, scope) -%}
    left(md5({{ region_key }} || '|' || {{ name_key }} || '|' || coalesce({{ scope }}, '')), 16)
{%- endmacro %}
