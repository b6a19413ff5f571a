{#- Hourly PIN_PROMOTION delivery (opt-in stream pin_promotion_delivery_hourly; empty when it is
    not selected) with names and composite metrics. Pinterest returns no conversions by hour. -#}
with joined as (
    select
        hourly.date_hour,
        hourly.date_day,
        {{ pinterest_name_columns('hourly', ['ad_account', 'campaign', 'ad_group', 'pin_promotion']) }},
        hourly.pin_id,
        {{- pinterest_finality_columns('hourly', conversions=false) }}
        {%- for metric in pinterest_metric_names(conversions=false) %}
        coalesce(hourly.{{ metric }}, 0) as {{ metric }},
        {%- endfor %}
        hourly.currency
    from {{ ref('stg_pinterest__pin_promotion_delivery_hourly') }} as hourly
    {{ pinterest_name_joins('hourly', ['ad_account', 'campaign', 'ad_group', 'pin_promotion']) }}
    where not hourly.is_removed
)

select
    joined.*,
    {{ pinterest_composite_metrics(conversions=false) }}
from joined
