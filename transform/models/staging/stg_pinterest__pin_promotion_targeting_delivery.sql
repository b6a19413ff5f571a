{{ pinterest_stage('pin_promotion_targeting_delivery',
    [('date', 'date', 'date_day'), ('ad_account_id', 'text', none), ('campaign_id', 'text', none), ('ad_group_id', 'text', none),
     ('pin_promotion_id', 'text', none), ('pin_id', 'text', none),
     ('targeting_type', 'text', none), ('targeting_value', 'text', none)]
    + pinterest_report_context_columns()
    + pinterest_metric_columns(conversions=true)
    + pinterest_tap_ratio_columns(conversions=true)) }}
