{#-
  Names (and removed flags) of the entities a report row points at, from the entity tables.
  `levels`: any of 'ad_account', 'campaign', 'ad_group', 'pin_promotion'. A removed entity
  keeps its name (its delivery still happened) and `<level>_removed` is true; an entity the
  entity tables have not seen yet has a NULL name and `<level>_removed` false.
-#}
{% macro pinterest_entity_models() %}
  {{ return({
      'ad_account': 'stg_pinterest__ad_accounts',
      'campaign': 'stg_pinterest__campaigns',
      'ad_group': 'stg_pinterest__ad_groups',
      'pin_promotion': 'stg_pinterest__pin_promotions',
  }) }}
{% endmacro %}


{% macro pinterest_name_columns(row, levels) %}
  {%- set parts = [] -%}
  {%- for level in levels -%}
    {%- do parts.append(row ~ '.' ~ level ~ '_id') -%}
    {%- do parts.append(level ~ '_names.' ~ level ~ '_name') -%}
    {%- if level != 'ad_account' -%}
      {%- do parts.append('coalesce(' ~ level ~ '_names.is_removed, false) as ' ~ level ~ '_removed') -%}
    {%- endif -%}
  {%- endfor -%}
  {{ parts | join(',\n    ') }}
{% endmacro %}


{% macro pinterest_name_joins(row, levels) %}
  {%- for level in levels %}
left join (
    select {{ level }}_id, {{ level }}_name, is_removed
    from {{ ref(pinterest_entity_models()[level]) }}
) as {{ level }}_names on {{ level }}_names.{{ level }}_id = {{ row }}.{{ level }}_id
  {%- endfor %}
{% endmacro %}
