{#- Pinterest's day finality (stream metrics_ready_state): one row per day a run read, upserted by
    date, so a day turns final once a run asked after Pinterest closed its books.
    The endpoint is global, not per account: with shards (docs/orchestration.md) every shard
    loads the same days into its own schema, so the rows are folded into one per day. Books only
    close (a day once final stays final), so a day is final if any read found it so. -#}
with reads as (
{{ pinterest_stage('metrics_ready_state', [
    ('date', 'date', 'date_day'),
    ('conversion_metrics_ready', 'boolean', none),
    ('non_conversion_metrics_ready', 'boolean', none),
    ('checked_at', 'timestamp', none),
]) }}
)

select
    date_day,
    bool_or(conversion_metrics_ready) as conversion_metrics_ready,
    bool_or(non_conversion_metrics_ready) as non_conversion_metrics_ready,
    max(checked_at) as checked_at,
    case when bool_and(is_removed) then max(removed_at) end as removed_at,
    bool_and(is_removed) as is_removed
from reads
group by date_day
