{#- Daily CAMPAIGN delivery broken down by targeting (opt-in stream campaign_targeting_delivery; empty
    when it is not selected): targeting_type, targeting_value and, where targeting_options
    names the value, targeting_value_name. Breakdown rows need not add up to the totals. -#}
with joined as (
    select
        breakdown.date_day,
        {{ pinterest_name_columns('breakdown', ['ad_account', 'campaign']) }},
        breakdown.targeting_type,
        breakdown.targeting_value,
        value_names.targeting_value_name,
        {{- pinterest_finality_columns('breakdown') }}
        {%- for metric in pinterest_metric_names() %}
        coalesce(breakdown.{{ metric }}, 0) as {{ metric }},
        {%- endfor %}
        breakdown.currency
    from {{ ref('stg_pinterest__campaign_targeting_delivery') }} as breakdown
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
