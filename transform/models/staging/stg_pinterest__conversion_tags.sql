{{ pinterest_stage('conversion_tags', [
    ('id', 'text', 'conversion_tag_id'),
    ('ad_account_id', 'text', none),
    ('name', 'text', 'conversion_tag_name'),
    ('status', 'text', 'conversion_tag_status'),
    ('pinterest_version', 'text', none),
    ('enhanced_match_status', 'text', none),
    ('code_snippet', 'text', none),
    ('last_fired_time', 'timestamp', none),
]) }}
