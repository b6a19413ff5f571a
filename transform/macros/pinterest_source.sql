{#-
  Which loaded table a staging model reads, and how it types and renames its columns.

  The Meltano jobs load the connector spec's tables (stream-map aliases in meltano.yml); a plain
  `meltano run tap-pinterest-ads target-postgres` loads tables named after the streams. A
  staging model reads the first of its candidates that exists in var('pinterest_schema'), so
  the same models serve both set-ups (when both exist, the jobs' table wins). A stream that is
  not selected has no table: its staging model is then an empty relation with the declared
  columns and types, and everything downstream still builds.
-#}

{% macro pinterest_table_candidates(stream) %}
  {%- set job_tables = {
      'pin_promotion_delivery': 'pinterest_data_delivery',
      'ad_accounts': 'pinterest_meta_adaccount',
      'campaigns': 'pinterest_meta_campaign',
      'ad_groups': 'pinterest_meta_adgroup',
      'pin_promotions': 'pinterest_meta_pinpromotion',
  } -%}
  {%- if stream in job_tables -%}
    {{ return([job_tables[stream], stream]) }}
  {%- endif -%}
  {{ return([stream]) }}
{% endmacro %}


{% macro pinterest_source_relation(stream) %}
  {#- None at parse time (no connection then) and when no candidate table exists. -#}
  {%- if not execute -%}
    {{ return(none) }}
  {%- endif -%}
  {%- for identifier in pinterest_table_candidates(stream) -%}
    {%- set relation = adapter.get_relation(
        database=target.database, schema=var('pinterest_schema'), identifier=identifier) -%}
    {%- if relation is not none -%}
      {{ return(relation) }}
    {%- endif -%}
  {%- endfor -%}
  {{ return(none) }}
{% endmacro %}


{#- Logical column types -> the adapter's SQL types. `money`: exact amounts of the account's
    currency (6 decimals: the API's micro-units). target-duckdb stores numbers as DOUBLE and
    dates as VARCHAR; the casts give both warehouses the same types. -#}
{% macro pinterest_type(logical) %}
  {{ return(adapter.dispatch('pinterest_type')(logical)) }}
{% endmacro %}

{% macro default__pinterest_type(logical) %}
  {%- set types = {'text': 'text', 'bigint': 'bigint', 'money': 'numeric(38, 6)',
                   'numeric': 'numeric', 'boolean': 'boolean', 'date': 'date',
                   'timestamp': 'timestamp'} -%}
  {{ return(types[logical]) }}
{% endmacro %}

{% macro duckdb__pinterest_type(logical) %}
  {%- set types = {'text': 'varchar', 'bigint': 'bigint', 'money': 'decimal(38, 6)',
                   'numeric': 'double', 'boolean': 'boolean', 'date': 'date',
                   'timestamp': 'timestamp'} -%}
  {{ return(types[logical]) }}
{% endmacro %}


{#-
  select <declared columns, typed and renamed>, <every other column of the table, as loaded>
  from <the stream's table>

  `columns`: [(loaded name, logical type, new name or none), ...]. A declared column the table
  lacks is a typed NULL. Columns the table has and the list does not declare (nested objects,
  `_sdc_*` metadata, fields a newer tap adds) pass through unchanged, so a new field reaches the
  staging model without an edit here; declaring it types it and keeps it when the table is
  absent. `type_by_suffix` ({'_value': 'money'}) types passed-through columns by name. `_sdc_deleted_at` (set by target-postgres when ACTIVATE_VERSION found an entity gone)
  is always declared, as `removed_at`, with `is_removed` beside it.
-#}
{% macro pinterest_stage(stream, columns, type_by_suffix={}) %}
  {%- set declared = columns + [('_sdc_deleted_at', 'timestamp', 'removed_at')] -%}
  {%- set relation = pinterest_source_relation(stream) -%}
  {%- set present = [] -%}
  {%- if relation is not none -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
      {%- do present.append(column.name | lower) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- set loaded_names = [] -%}
  {%- set new_names = [] -%}
  {%- set expressions = [] -%}
  {%- for name, logical, alias in declared -%}
    {%- set sql_type = pinterest_type(logical) -%}
    {%- set source = adapter.quote(name) if name in present else 'null' -%}
    {%- do expressions.append('cast(' ~ source ~ ' as ' ~ sql_type ~ ') as ' ~ (alias or name)) -%}
    {%- do loaded_names.append(name) -%}
    {%- do new_names.append(alias or name) -%}
  {%- endfor -%}
  {%- do expressions.append(adapter.quote('_sdc_deleted_at') ~ ' is not null as is_removed'
        if '_sdc_deleted_at' in present else 'false as is_removed') -%}
  {%- for name in present if name not in loaded_names and name not in new_names
        and name != 'is_removed' -%}
    {%- set ns = namespace(expression=adapter.quote(name)) -%}
    {%- for suffix, logical in type_by_suffix.items() if name.endswith(suffix) -%}
      {%- set ns.expression = 'cast(' ~ adapter.quote(name) ~ ' as ' ~ pinterest_type(logical)
            ~ ') as ' ~ adapter.quote(name) -%}
    {%- endfor -%}
    {%- do expressions.append(ns.expression) -%}
  {%- endfor %}
select
    {{ expressions | join(',\n    ') }}
{%- if relation is not none %}
from {{ relation }}
{%- else %}
-- No table for stream `{{ stream }}` in schema {{ var('pinterest_schema') }} (not selected, or
-- not loaded yet): an empty relation with the declared columns.
where 1 = 0
{%- endif %}
{% endmacro %}
