{#- The columns of a built relation as a select list, minus `except` and the loaders' `_sdc_*`
    metadata (parse time: `*`). -#}
{% macro pinterest_columns_except(relation, except=[], prefix='') %}
  {%- if not execute -%}
    {{ return(prefix ~ '*') }}
  {%- endif -%}
  {%- set names = [] -%}
  {%- for column in adapter.get_columns_in_relation(relation) -%}
    {%- if column.name | lower not in except and not column.name.startswith('_sdc_') -%}
      {%- do names.append(prefix ~ adapter.quote(column.name)) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(names | join(',\n    ')) }}
{% endmacro %}


{#- Generic test: no two rows share the values of `columns` (a composite key). -#}
{% test pinterest_unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as rows_with_this_key
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
