{{ pinterest_stage('delivery_metrics', [
    ('name', 'text', 'delivery_metric_name'),
    ('display_name', 'text', none),
    ('definition', 'text', none),
    ('category', 'text', none),
]) }}
