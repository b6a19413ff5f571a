{#- Pinterest in the cross-channel layout (macros/ad_reporting.sql): one row per day and pin
    promotion (the ad). impressions and clicks are the paid ones (what other channels report and
    what spend bought); conversions and conversion_value are Pinterest's totals for the
    attribution windows the tap was configured with. -#}
select
    {{ ad_reporting_daily_select({
        'date_day': 'date_day',
        'platform': "'pinterest'",
        'account_id': 'ad_account_id',
        'account_name': 'ad_account_name',
        'campaign_id': 'campaign_id',
        'campaign_name': 'campaign_name',
        'ad_group_id': 'ad_group_id',
        'ad_group_name': 'ad_group_name',
        'ad_id': 'pin_promotion_id',
        'ad_name': 'pin_promotion_name',
        'currency': 'currency',
        'spend': 'spend',
        'impressions': 'paid_impressions',
        'clicks': 'paid_clicks',
        'conversions': 'conversions',
        'conversion_value': 'conversion_value',
        'is_final': 'is_final',
    }) }}
from {{ ref('pinterest__delivery_report') }}
