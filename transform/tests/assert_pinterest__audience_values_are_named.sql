{{ config(severity='warn') }}
{#- AUDIENCE_INCLUDE breakdown values are ids of the account's audiences and customer lists: once
    either list is loaded, each value has a name (int_pinterest__targeting_value_names). Warn only:
    an audience created since the last listing is named after the next one. -#}
{%- set reports = ['pinterest__pin_promotion_targeting_report', 'pinterest__campaign_targeting_report'] %}
{%- for report in reports %}
select '{{ report }}' as model, ad_account_id, targeting_value
from {{ ref(report) }}
where targeting_type = 'AUDIENCE_INCLUDE'
    and targeting_value_name is null
    and (exists (select 1 from {{ ref('stg_pinterest__audiences') }})
         or exists (select 1 from {{ ref('stg_pinterest__customer_lists') }}))
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
