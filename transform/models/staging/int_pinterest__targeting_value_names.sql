{#- targeting_value -> name, per report targeting type, from targeting_options. Which
    targeting_options type names which report targeting type: var('pinterest_targeting_value_names')
    (a report type missing there has no names; its values are readable as they are, e.g.
    KEYWORD, PLACEMENT, COUNTRY). -#}
{%- set mapping = var('pinterest_targeting_value_names') %}
{%- for report_type, option_type in mapping.items() %}
select
    cast('{{ report_type }}' as {{ pinterest_type('text') }}) as targeting_type,
    targeting_option_id as targeting_value,
    targeting_option_name as targeting_value_name
from {{ ref('stg_pinterest__targeting_options') }}
where targeting_type = '{{ option_type }}'
{%- if not loop.last %}

union all
{% endif %}
{%- endfor %}
