{#-
  The cross-channel layout of ad_reporting__daily: one row per day and ad, in the order and
  types below, so that another channel's model with the same columns can UNION ALL into it
  (docs/dbt.md: "Cross-channel reporting"). Amounts are in `currency`, the ad account's own: no FX.
-#}
{% macro ad_reporting_daily_columns() %}
  {{ return([
      ('date_day', 'date'),
      ('platform', 'text'),
      ('account_id', 'text'),
      ('account_name', 'text'),
      ('campaign_id', 'text'),
      ('campaign_name', 'text'),
      ('ad_group_id', 'text'),
      ('ad_group_name', 'text'),
      ('ad_id', 'text'),
      ('ad_name', 'text'),
      ('currency', 'text'),
      ('spend', 'money'),
      ('impressions', 'bigint'),
      ('clicks', 'bigint'),
      ('conversions', 'bigint'),
      ('conversion_value', 'money'),
      ('is_final', 'boolean'),
  ]) }}
{% endmacro %}


{#- select cast(<expression> as <type>) as <column>, ... in the layout's order; `expressions`
    maps each column to a SQL expression of the channel's model. -#}
{% macro ad_reporting_daily_select(expressions) %}
  {%- set parts = [] -%}
  {%- for name, logical in ad_reporting_daily_columns() -%}
    {%- do parts.append('cast(' ~ expressions[name] ~ ' as ' ~ pinterest_type(logical) ~ ') as ' ~ name) -%}
  {%- endfor -%}
    {{ parts | join(',\n    ') }}
{% endmacro %}
