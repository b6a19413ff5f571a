{{ pinterest_stage('pin_promotion_delivery_hourly',
    [('date_hour', 'timestamp', none), ('date', 'date', 'date_day'), ('ad_account_id', 'text', none), ('campaign_id', 'text', none),
     ('ad_group_id', 'text', none), ('pin_promotion_id', 'text', none), ('pin_id', 'text', none)]
    + pinterest_report_context_columns()
    + pinterest_metric_columns(conversions=false)
    + pinterest_tap_ratio_columns(conversions=false)) }}
