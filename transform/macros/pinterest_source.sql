{#-
  Which loaded tables a staging model reads, and how it types and renames their columns.

  The Meltano jobs load the connector spec's tables (stream-map aliases in meltano.yml); a plain
  `meltano run tap-pinterest-ads target-postgres` loads tables named after the streams. In a
  schema, a staging model reads the first of its candidates that exists (when both exist, the
  jobs' table wins), so the same models serve both set-ups. A stream that is not selected has no
  table: its staging model is then an empty relation with the declared columns and types, and
  everything downstream still builds.

  Advertiser-id shards (docs/orchestration.md) each load into a schema of their own,
  `<pinterest_schema>__<shard>`, so that one shard's ACTIVATE_VERSION cannot soft-delete another
  shard's rows and no two loaders create the same table at once. A staging model reads the
  unsharded schema and every shard schema and unions what it finds: an ad account belongs to
  one of them, and the staging models' unique tests fail the build when one is in two.
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


{#- The schemas shard loaders write to: `<pinterest_schema>__<shard>`, in name order. -#}
{% macro pinterest_shard_schemas() %}
  {%- set prefix = var('pinterest_schema') ~ '__' -%}
  {%- set found = [] -%}
  {%- for row in list_schemas(target.database).rows -%}
    {%- set name = row[0] | string -%}
    {%- if name.startswith(prefix) and name | length > prefix | length -%}
      {%- do found.append(name) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(found | sort) }}
{% endmacro %}


{#- The stream's table in the unsharded schema and in each shard schema, where one exists.
    Empty at parse time (no connection then) and when no candidate table exists anywhere. -#}
{% macro pinterest_source_relations(stream) %}
  {%- if not execute -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set relations = [] -%}
  {%- for schema in [var('pinterest_schema')] + pinterest_shard_schemas() -%}
    {%- set found = namespace(relation=none) -%}
    {%- for identifier in pinterest_table_candidates(stream) if found.relation is none -%}
      {%- set found.relation = adapter.get_relation(
          database=target.database, schema=schema, identifier=identifier) -%}
    {%- endfor -%}
    {%- if found.relation is not none -%}
      {%- do relations.append(found.relation) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(relations) }}
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
  [union all select ... from <the same stream's table in each shard schema>]

  `columns`: [(loaded name, logical type, new name or none), ...]. A declared column a table
  lacks is a typed NULL. Columns the tables have and the list does not declare (nested objects,
  `_sdc_*` metadata, fields a newer tap adds) pass through unchanged, so a new field reaches the
  staging model without an edit here; declaring it types it and keeps it when the table is
  absent. With shards, an undeclared column passes through once every shard's table has it (a
  NULL of a loaded type, e.g. a PostgreSQL array, cannot always be spelled). `type_by_suffix`
  ({'_value': 'money'}) types passed-through columns by name. `_sdc_deleted_at` (set by
  target-postgres when ACTIVATE_VERSION found an entity gone) is always declared, as
  `removed_at`, with `is_removed` beside it.
-#}
{% macro pinterest_stage(stream, columns, type_by_suffix={}) %}
  {%- set declared = columns + [('_sdc_deleted_at', 'timestamp', 'removed_at')] -%}
  {%- set relations = pinterest_source_relations(stream) -%}
  {%- set columns_of = [] -%}
  {%- for relation in relations -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
      {%- do names.append(column.name | lower) -%}
    {%- endfor -%}
    {%- do columns_of.append(names) -%}
  {%- endfor -%}
  {%- set loaded_names = [] -%}
  {%- set new_names = [] -%}
  {%- for name, logical, alias in declared -%}
    {%- do loaded_names.append(name) -%}
    {%- do new_names.append(alias or name) -%}
  {%- endfor -%}
  {%- set passed = [] -%}
  {%- for name in (columns_of[0] if columns_of else []) if name not in loaded_names
        and name not in new_names and name != 'is_removed' -%}
    {%- set shared = namespace(everywhere=true) -%}
    {%- for names in columns_of if name not in names -%}
      {%- set shared.everywhere = false -%}
    {%- endfor -%}
    {%- if shared.everywhere -%}
      {%- do passed.append(name) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set selects = [] -%}
  {%- for present in (columns_of if columns_of else [[]]) -%}
    {%- set expressions = [] -%}
    {%- for name, logical, alias in declared -%}
      {%- set source = adapter.quote(name) if name in present else 'null' -%}
      {%- do expressions.append('cast(' ~ source ~ ' as ' ~ pinterest_type(logical) ~ ') as '
            ~ (alias or name)) -%}
    {%- endfor -%}
    {%- do expressions.append(adapter.quote('_sdc_deleted_at') ~ ' is not null as is_removed'
          if '_sdc_deleted_at' in present else 'false as is_removed') -%}
    {%- for name in passed -%}
      {%- set ns = namespace(expression=adapter.quote(name)) -%}
      {%- for suffix, logical in type_by_suffix.items() if name.endswith(suffix) -%}
        {%- set ns.expression = 'cast(' ~ adapter.quote(name) ~ ' as ' ~ pinterest_type(logical)
              ~ ') as ' ~ adapter.quote(name) -%}
      {%- endfor -%}
      {%- do expressions.append(ns.expression) -%}
    {%- endfor -%}
    {%- if relations -%}
      {%- set source_sql = '\nfrom ' ~ relations[loop.index0] -%}
    {%- else -%}
      {%- set source_sql = '\n-- No table for stream `' ~ stream ~ '` in schema '
            ~ var('pinterest_schema') ~ ' or a shard schema (not selected, or\n'
            ~ '-- not loaded yet): an empty relation with the declared columns.\nwhere 1 = 0' -%}
    {%- endif -%}
    {%- do selects.append('select\n    ' ~ expressions | join(',\n    ') ~ source_sql) -%}
  {%- endfor %}
{{ selects | join('\nunion all\n') }}
{% endmacro %}
