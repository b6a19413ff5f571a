{#- 87 fields, per conversion event and attribution, each only where Pinterest has the column:
    they pass through, typed by name. -#}
{{ pinterest_stage('pin_promotion_conversions',
    [('date', 'date', 'date_day'), ('ad_account_id', 'text', none),
     ('campaign_id', 'text', none), ('ad_group_id', 'text', none),
     ('pin_promotion_id', 'text', none), ('pin_id', 'text', none)]
    + pinterest_report_context_columns()
    + [('conversions', 'bigint', none), ('conversion_value', 'money', none)],
    type_by_suffix={'_conversions': 'bigint', '_value': 'money'}) }}
