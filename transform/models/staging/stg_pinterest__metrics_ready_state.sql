{#- Pinterest's day finality (stream metrics_ready_state): one row per day a run read, upserted by
    date, so a day turns final once a run asked after Pinterest closed its books. -#}
{{ pinterest_stage('metrics_ready_state', [
    ('date', 'date', 'date_day'),
    ('conversion_metrics_ready', 'boolean', none),
    ('non_conversion_metrics_ready', 'boolean', none),
    ('checked_at', 'timestamp', none),
]) }}
