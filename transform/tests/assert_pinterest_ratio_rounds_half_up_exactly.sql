{#- pinterest_ratio (the composite metrics) rounds half away from zero, exactly, on every
    adapter: DuckDB divides decimals in floating point, where 1.005 / 1 rounds to 1.00 and
    0.285 / 1 to 0.28. Rows returned = cases with a wrong result. -#}
with cases as (
    select cast(numerator as {{ pinterest_type('money') }}) as numerator,
           cast(denominator as bigint) as denominator,
           cast(expected as numeric(38, 2)) as expected,
           cast(expected_percent as numeric(38, 2)) as expected_percent
    from (
        select 1.005 as numerator, 1 as denominator, 1.01 as expected, 100.50 as expected_percent
        union all select 0.285, 1, 0.29, 28.50
        union all select 0.015, 1, 0.02, 1.50
        union all select 2.675, 1, 2.68, 267.50
        union all select 1, 160, 0.01, 0.63
        union all select 2, 3, 0.67, 66.67
        union all select 10, 3, 3.33, 333.33
        union all select 0.000001, 7, 0.00, 0.00
        union all select 12.5, 0, null, null
    ) as literal
),

computed as (
    select cases.*,
           {{ pinterest_ratio('numerator', 'denominator') }} as ratio,
           {{ pinterest_ratio('numerator', 'denominator', 100) }} as percent
    from cases
)

select *
from computed
where coalesce(ratio <> expected, (ratio is null) <> (expected is null))
   or coalesce(percent <> expected_percent, (percent is null) <> (expected_percent is null))
