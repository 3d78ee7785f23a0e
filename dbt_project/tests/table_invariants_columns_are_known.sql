{{ config(meta={'class': 'pipeline'}) }}
-- Every column a cross-table invariant names is a column of the vocabulary (or, for a 收支总表, a summary row
-- side:row_key): a misspelt one would compare nothing and read not_applicable for every document.
with named as (
    select check_id, column_a as column_name from {{ ref('table_invariants') }}
    union all
    select check_id, column_b from {{ ref('table_invariants') }}
)

select check_id, column_name
from named
where
    column_name not in (select column_key from {{ ref('column_vocabulary') }})
    and column_name not in (select side || ':' || row_key from {{ ref('summary_rows') }})
