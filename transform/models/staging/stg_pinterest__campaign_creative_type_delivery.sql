{#- The synchronous analytics have no paid video quartiles and no conversion value: those
    columns are NULL here (not loaded), never 0. -#}
{{ pinterest_stage('campaign_creative_type_delivery',
    [('date', 'date', 'date_day'), ('ad_account_id', 'text', none), ('campaign_id', 'text', none),
     ('targeting_type', 'text', none), ('targeting_value', 'text', none)]
    + pinterest_report_context_columns()
    + pinterest_metric_columns(conversions=true)
    + pinterest_tap_ratio_columns(conversions=true)) }}
