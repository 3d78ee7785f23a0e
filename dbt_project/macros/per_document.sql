{#-
    Per-document models are materialized 'incremental': a build rebuilds only the documents of raw.batch (those whose
    extract came, changed or went since the last complete build, see pipelines/staging.py). The model's pre-hook
    forgets their rows; the model then selects only their rows from every document-keyed relation it reads,
    through batch_of(). A full refresh (first build, changed code or models) rebuilds everything.
-#}

{% macro batch_of(model_name) %}
    {#- Called unconditionally so dbt records the dependency on the batch at parse time. -#}
    {%- set batch = source('raw', 'batch') -%}
    {%- if is_incremental() -%}
        (select * from {{ ref(model_name) }} where document_id in (select document_id from {{ batch }}))
    {%- else -%}
        {{ ref(model_name) }}
    {%- endif -%}
{% endmacro %}

{% macro forget_batch() %}
    {%- if is_incremental() -%}
        delete from {{ this }} where document_id in (select document_id from {{ source('raw', 'batch') }})
    {%- endif -%}
{% endmacro %}
