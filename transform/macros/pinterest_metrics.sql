{#-
  The report streams' columns (one list, shared by every staging and report model) and the
  composite metrics recomputed from them.
-#}

{#- Settings a report was requested with (same on every row of a run), and the day's finality
    when the row was read (pinterest_day_flags). -#}
{% macro pinterest_report_context_columns() %}
  {%- set columns = [
      ('currency', 'text', none),
      ('click_window_days', 'bigint', none),
      ('engagement_window_days', 'bigint', none),
      ('view_window_days', 'bigint', none),
      ('conversion_report_time', 'text', none),
  ] -%}
  {%- for flag in pinterest_day_flags() -%}
    {%- do columns.append((flag, 'boolean', none)) -%}
  {%- endfor -%}
  {{ return(columns) }}
{% endmacro %}


{#- Additive metrics: a sum over rows is the metric of the rows together. Hourly reports have no
    conversion columns (Pinterest returns none for granularity HOUR): conversions=false. -#}
{% macro pinterest_metric_columns(conversions=true) %}
  {%- set metrics = [
      ('spend', 'money', none),
      ('paid_impressions', 'bigint', none),
      ('earned_impressions', 'bigint', none),
      ('total_impressions', 'bigint', none),
      ('paid_clicks', 'bigint', none),
      ('earned_clicks', 'bigint', none),
      ('total_clicks', 'bigint', none),
      ('paid_outbound_clicks', 'bigint', none),
      ('earned_outbound_clicks', 'bigint', none),
      ('total_outbound_clicks', 'bigint', none),
      ('paid_engagements', 'bigint', none),
      ('earned_engagements', 'bigint', none),
      ('total_engagements', 'bigint', none),
      ('paid_saves', 'bigint', none),
      ('earned_saves', 'bigint', none),
      ('total_saves', 'bigint', none),
      ('video_views', 'bigint', none),
      ('video_starts', 'bigint', none),
      ('video_p25', 'bigint', none),
      ('video_p50', 'bigint', none),
      ('video_p75', 'bigint', none),
      ('video_p95', 'bigint', none),
      ('video_completes', 'bigint', none),
  ] -%}
  {%- if conversions -%}
    {%- set metrics = metrics + [
        ('conversions', 'bigint', none),
        ('conversion_value', 'money', none),
        ('checkout_conversions', 'bigint', none),
        ('checkout_value', 'money', none),
        ('click_checkout_conversions', 'bigint', none),
        ('click_checkout_value', 'money', none),
        ('view_checkout_conversions', 'bigint', none),
        ('view_checkout_value', 'money', none),
        ('engagement_checkout_conversions', 'bigint', none),
        ('engagement_checkout_value', 'money', none),
    ] -%}
  {%- endif -%}
  {{ return(metrics) }}
{% endmacro %}


{#- The tap's own per-row ratios (fractions). Staging keeps them; the report models recompute
    every ratio from the additive columns instead, so that sums of rows stay right. -#}
{% macro pinterest_tap_ratio_columns(conversions=true) %}
  {%- set ratios = [('ctr', 'numeric', none), ('cpc', 'numeric', none), ('cpm', 'numeric', none),
                    ('cpv', 'numeric', none), ('vtr', 'numeric', none), ('vcr', 'numeric', none)] -%}
  {%- if conversions -%}
    {%- set ratios = ratios + [('roas', 'numeric', none)] -%}
  {%- endif -%}
  {{ return(ratios) }}
{% endmacro %}


{#- Per-day boolean flags of delivery rows that the report models carry and that aggregates
    combine with bool_and (a day's total is final only when all its rows are): whether the
    day's non-conversion and conversion metrics were final when the tap read the row (the
    metrics_ready_state endpoint). NULL on rows an older tap version loaded: not known final. -#}
{% macro pinterest_day_flags() %}
  {{ return(['metrics_final', 'conversion_metrics_final']) }}
{% endmacro %}


{#- is_final: every metric of the row is final (the row will not change when read again).
    Rows without conversion metrics (hourly) need only metrics_final. `row`: a table alias. -#}
{% macro pinterest_is_final(conversions=true, row=none) %}
  {%- set prefix = row ~ '.' if row else '' -%}
  {%- if conversions -%}
coalesce({{ prefix }}metrics_final and {{ prefix }}conversion_metrics_final, false) as is_final
  {%- else -%}
coalesce({{ prefix }}metrics_final, false) as is_final
  {%- endif -%}
{% endmacro %}


{#- <row>.metrics_final, <row>.conversion_metrics_final, <is_final> for a select list. -#}
{% macro pinterest_finality_columns(row, conversions=true) %}
  {%- for flag in pinterest_day_flags() %}
        {{ row }}.{{ flag }},
  {%- endfor %}
        {{ pinterest_is_final(conversions, row) }},
{%- endmacro %}


{% macro pinterest_metric_names(conversions=true) %}
  {%- set names = [] -%}
  {%- for name, logical, alias in pinterest_metric_columns(conversions) -%}
    {%- do names.append(name) -%}
  {%- endfor -%}
  {{ return(names) }}
{% endmacro %}


{#- sum(<metric>) as <metric>, ... and bool_and(<flag>) as <flag>, ... for a GROUP BY. -#}
{% macro pinterest_sum_metrics(conversions=true) %}
  {%- set parts = [] -%}
  {%- for name, logical, alias in pinterest_metric_columns(conversions) -%}
    {#- PostgreSQL sums bigints as numeric: cast back, so every model has the same types. -#}
    {%- do parts.append('cast(sum(' ~ name ~ ') as ' ~ pinterest_type(logical) ~ ') as ' ~ name) -%}
  {%- endfor -%}
  {%- for flag in pinterest_day_flags() -%}
    {%- do parts.append('bool_and(' ~ flag ~ ') as ' ~ flag) -%}
  {%- endfor -%}
  {{ parts | join(',\n    ') }}
{% endmacro %}


{#-
  The connector spec's composite metrics as it presents them, from additive columns of the
  same row (so a model that sums rows first and divides after gets them right):
    cpc = spend / paid_clicks, cpv = spend / video_views      -- 2 decimals, account currency
    vtr_pct = 100 * video_completes / paid_impressions          -- percent, 2 decimals
    vcr_pct = 100 * video_completes / video_views               -- percent, 2 decimals
  and the performance metrics the spec lists besides:
    ctr_pct = 100 * paid_clicks / paid_impressions, cpm = 1000 * spend / paid_impressions,
    roas = conversion_value / spend (2 decimals; not for hourly rows).
  Only paid clicks, impressions and views are bought, so they are the denominators, as in the
  tap's own ratio fields. NULL when the denominator is 0.
-#}
{% macro pinterest_composite_metrics(conversions=true) %}
    {{ pinterest_ratio('spend', 'paid_clicks') }} as cpc,
    {{ pinterest_ratio('spend', 'video_views') }} as cpv,
    {{ pinterest_ratio('video_completes', 'paid_impressions', 100) }} as vtr_pct,
    {{ pinterest_ratio('video_completes', 'video_views', 100) }} as vcr_pct,
    {{ pinterest_ratio('paid_clicks', 'paid_impressions', 100) }} as ctr_pct,
    {{ pinterest_ratio('spend', 'paid_impressions', 1000) }} as cpm
    {%- if conversions %},
    {{ pinterest_ratio('conversion_value', 'spend') }} as roas
    {%- endif %}
{% endmacro %}


{#- round(factor * numerator / denominator, scale), half away from zero, exact; NULL when the
    denominator is 0 or NULL. Typed numeric(38, scale). -#}
{% macro pinterest_ratio(numerator, denominator, factor=1, scale=2) %}
  {{ return(adapter.dispatch('pinterest_ratio')(numerator, denominator, factor, scale)) }}
{% endmacro %}

{% macro default__pinterest_ratio(numerator, denominator, factor, scale) %}
cast(round(cast({{ numerator }} as numeric) * {{ factor }} / nullif({{ denominator }}, 0), {{ scale }}) as numeric(38, {{ scale }}))
{%- endmacro %}

{#- DuckDB divides DECIMALs in DOUBLE, which rounds some ties the wrong way (1.005 / 1 -> 1.00).
    Integer arithmetic instead, with both sides in millionths (amounts have 6 decimals):
    q = (2 * |m| * 10^scale + d) // (2 * d), m = factor * numerator, d = denominator (d >= 0:
    counts and spend). HUGEINT holds both. -#}
{% macro duckdb__pinterest_ratio(numerator, denominator, factor, scale) %}
  {%- set m = 'cast(cast(' ~ numerator ~ ' as decimal(38, 6)) * ' ~ factor * 1000000 ~ ' as hugeint)' -%}
  {%- set d = 'cast(cast(' ~ denominator ~ ' as decimal(38, 6)) * 1000000 as hugeint)' -%}
case when coalesce({{ denominator }}, 0) = 0 then null
     else cast(sign({{ m }}) * ((2 * abs({{ m }}) * {{ 10 ** scale }} + {{ d }}) // (2 * {{ d }})) as decimal(36, 0))
          * cast({{ '0.' ~ '0' * (scale - 1) ~ '1' }} as decimal({{ scale + 1 }}, {{ scale }}))
end
{%- endmacro %}


{#- Metrics campaign_creative_type_delivery cannot have: the synchronous analytics' `columns`
    enum has no paid video quartiles and no TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR. -#}
{% macro pinterest_creative_type_missing_metrics() %}
  {{ return(['video_starts', 'video_p25', 'video_p50', 'video_p75', 'video_p95',
             'video_completes', 'conversion_value']) }}
{% endmacro %}
