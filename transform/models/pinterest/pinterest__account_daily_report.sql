{#- Daily ad account totals: the additive metrics of pinterest__delivery_report summed, the composite
    metrics computed from the sums (never averaged). -#}
with totals as (
    select
        date_day,
        ad_account_id,
        ad_account_name,
        {{ pinterest_sum_metrics() }},
        currency
    from {{ ref('pinterest__delivery_report') }}
    group by
        date_day,
        ad_account_id,
        ad_account_name,
        currency
)

select
    totals.*,
    {{ pinterest_is_final(row='totals') }},
    {{ pinterest_composite_metrics() }}
from totals
