{{ pinterest_stage('ad_account_delivery',
    [('date', 'date', 'date_day'), ('ad_account_id', 'text', none)]
    + pinterest_report_context_columns()
    + pinterest_metric_columns(conversions=true)
    + pinterest_tap_ratio_columns(conversions=true)) }}
