{#- Daily CAMPAIGN delivery broken down by targeting (opt-in streams campaign_targeting_delivery
    and, for CREATIVE_TYPE, campaign_creative_type_delivery; empty when neither is selected):
    targeting_type, targeting_value and, where targeting_options names the value,
    targeting_value_name. Breakdown rows need not add up to the totals. CREATIVE_TYPE rows come
    from the synchronous analytics, which have no paid video quartiles and no conversion value:
    those metrics (and vtr_pct, vcr_pct, roas) are NULL on them, not 0. -#}
{%- set breakdown_columns = ['date_day', 'ad_account_id', 'campaign_id', 'targeting_type',
                             'targeting_value', 'is_removed', 'currency'] + pinterest_day_flags() %}
with breakdown as (
    select
        {%- for column in breakdown_columns %}
        {{ column }},
        {%- endfor %}
        {%- for metric in pinterest_metric_names() %}
        coalesce({{ metric }}, 0) as {{ metric }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_pinterest__campaign_targeting_delivery') }}

    union all

    select
        {%- for column in breakdown_columns %}
        {{ column }},
        {%- endfor %}
        {%- for metric in pinterest_metric_names() %}
        {%- if metric in pinterest_creative_type_missing_metrics() %}
        {{ metric }}{{ ',' if not loop.last }}
        {%- else %}
        coalesce({{ metric }}, 0) as {{ metric }}{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from {{ ref('stg_pinterest__campaign_creative_type_delivery') }}
),

joined as (
    select
        breakdown.date_day,
        {{ pinterest_name_columns('breakdown', ['ad_account', 'campaign']) }},
        breakdown.targeting_type,
        breakdown.targeting_value,
        value_names.targeting_value_name,
        {{- pinterest_finality_columns('breakdown') }}
        {%- for metric in pinterest_metric_names() %}
        breakdown.{{ metric }},
        {%- endfor %}
        breakdown.currency
    from breakdown
    {{ pinterest_name_joins('breakdown', ['ad_account', 'campaign']) }}
    left join {{ ref('int_pinterest__targeting_value_names') }} as value_names
        on value_names.targeting_type = breakdown.targeting_type
        and value_names.targeting_value = breakdown.targeting_value
    where not breakdown.is_removed
)

select
    joined.*,
    {{ pinterest_composite_metrics() }}
from joined
