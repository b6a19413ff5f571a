{{ pinterest_stage('campaign_delivery',
    [('date', 'date', 'date_day'), ('ad_account_id', 'text', none), ('campaign_id', 'text', none)]
    + pinterest_report_context_columns()
    + pinterest_metric_columns(conversions=true)
    + pinterest_tap_ratio_columns(conversions=true)) }}
