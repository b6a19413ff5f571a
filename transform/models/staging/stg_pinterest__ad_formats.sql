{{ pinterest_stage('ad_formats', [
    ('creative_type', 'text', none),
    ('name', 'text', 'ad_format_name'),
    ('description', 'text', none),
    ('is_deprecated', 'boolean', none),
]) }}
