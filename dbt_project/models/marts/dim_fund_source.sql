select fund_source_code, name, parent_code
from {{ ref('fund_sources') }}
