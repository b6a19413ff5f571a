{#- Daily PIN_PROMOTION conversions by event and attribution (opt-in stream
    pin_promotion_conversions; empty when it is not selected) with names. Every
    `<event>_conversions` / `<event>_value` column of the stream is carried. -#}
select
    conversions.date_day,
    {{ pinterest_is_final(row='conversions') }},
    {{ pinterest_name_columns('conversions', ['ad_account', 'campaign', 'ad_group', 'pin_promotion']) }},
    {{ pinterest_columns_except(
        ref('stg_pinterest__pin_promotion_conversions'),
        except=['date_day', 'ad_account_id', 'campaign_id', 'ad_group_id', 'pin_promotion_id',
                'is_removed', 'removed_at'],
        prefix='conversions.') }}
from {{ ref('stg_pinterest__pin_promotion_conversions') }} as conversions
{{ pinterest_name_joins('conversions', ['ad_account', 'campaign', 'ad_group', 'pin_promotion']) }}
where not conversions.is_removed
