{{ config(meta={'class': 'pipeline'}) }}
-- Every scope word of reference.column_vocabulary names a table, a kind or a classification of the table
-- vocabulary (or is *): a misspelt scope would silently leave its columns unmapped.
with words as (
    select scope, unnest(string_split(scope, ' ')) as word
    from {{ ref('column_vocabulary') }}
)

select scope, word
from words
where not (
    word = '*'
    or word in (select table_key from {{ ref('table_vocabulary') }})
    or (starts_with(word, 'kind:') and substr(word, 6) in (select kind from {{ ref('table_vocabulary') }}))
    or (starts_with(word, 'class:') and substr(word, 7) in (select classification from {{ ref('table_vocabulary') }}))
)
