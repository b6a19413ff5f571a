{#- Daily PIN_PROMOTION delivery with the connector spec's Dimensions (campaign, ad group and pin
    promotion names, kept for entities removed later and flagged `*_removed`), its base metrics
    and its composite metrics (see macros/pinterest_metrics.sql). One row per
    (date_day, ad_account_id, pin_promotion_id). -#}
with joined as (
    select
        delivery.date_day,
        {{ pinterest_name_columns('delivery', ['ad_account', 'campaign', 'ad_group', 'pin_promotion']) }},
        delivery.pin_id,
        {{- pinterest_finality_columns('delivery') }}
        {%- for metric in pinterest_metric_names() %}
        coalesce(delivery.{{ metric }}, 0) as {{ metric }},
        {%- endfor %}
        delivery.currency
    from {{ ref('stg_pinterest__pin_promotion_delivery') }} as delivery
    {{ pinterest_name_joins('delivery', ['ad_account', 'campaign', 'ad_group', 'pin_promotion']) }}
    -- Delivery is incremental (no ACTIVATE_VERSION): this only guards against manual versioning.
    where not delivery.is_removed
)

select
    joined.*,
    {{ pinterest_composite_metrics() }}
from joined
