{#- Daily ad group totals: the additive metrics of pinterest__delivery_report summed, the composite
    metrics computed from the sums (never averaged). -#}
with totals as (
    select
        date_day,
        ad_account_id,
        ad_account_name,
        campaign_id,
        campaign_name,
        campaign_removed,
        ad_group_id,
        ad_group_name,
        ad_group_removed,
        {{ pinterest_sum_metrics() }},
        currency
    from {{ ref('pinterest__delivery_report') }}
    group by
        date_day,
        ad_account_id,
        ad_account_name,
        campaign_id,
        campaign_name,
        campaign_removed,
        ad_group_id,
        ad_group_name,
        ad_group_removed,
        currency
)

select
    totals.*,
    {{ pinterest_is_final(row='totals') }},
    {{ pinterest_composite_metrics() }}
from totals
