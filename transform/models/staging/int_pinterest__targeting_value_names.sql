{#- targeting_value -> name, per report targeting type, from targeting_options. Which
    targeting_options type names which report targeting type: var('pinterest_targeting_value_names')
    (a report type missing there has no names; its values are readable as they are, e.g.
    KEYWORD, PLACEMENT, COUNTRY, AGE_BUCKET_AND_GENDER). AUDIENCE_INCLUDE values are the ids of
    the account's audiences (retargeting, engagement, lookalike) and customer lists: named from
    `audiences` and `customer_lists`, with `audience_source` saying which. -#}
select
    cast('AUDIENCE_INCLUDE' as {{ pinterest_type('text') }}) as targeting_type,
    audience_id as targeting_value,
    min(audience_name) as targeting_value_name,
    cast('audience' as {{ pinterest_type('text') }}) as audience_source
from {{ ref('stg_pinterest__audiences') }}
group by audience_id

union all

select
    cast('AUDIENCE_INCLUDE' as {{ pinterest_type('text') }}) as targeting_type,
    customer_list_id as targeting_value,
    min(customer_list_name) as targeting_value_name,
    cast('customer_list' as {{ pinterest_type('text') }}) as audience_source
from {{ ref('stg_pinterest__customer_lists') }} as lists
where not exists (
    select 1 from {{ ref('stg_pinterest__audiences') }} as audiences
    where audiences.audience_id = lists.customer_list_id
)
group by customer_list_id

union all

{%- set mapping = var('pinterest_targeting_value_names') %}
{%- for report_type, option_type in mapping.items() %}
select
    cast('{{ report_type }}' as {{ pinterest_type('text') }}) as targeting_type,
    targeting_option_id as targeting_value,
    targeting_option_name as targeting_value_name,
    cast(null as {{ pinterest_type('text') }}) as audience_source
from {{ ref('stg_pinterest__targeting_options') }}
where targeting_type = '{{ option_type }}'
{%- if not loop.last %}

union all
{% endif %}
{%- endfor %}
