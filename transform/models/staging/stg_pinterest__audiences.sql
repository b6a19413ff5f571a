{{ pinterest_stage('audiences', [
    ('id', 'text', 'audience_id'),
    ('ad_account_id', 'text', none),
    ('name', 'text', 'audience_name'),
    ('status', 'text', 'audience_status'),
    ('type', 'text', none),
    ('audience_type', 'text', none),
    ('description', 'text', none),
    ('created_by_company_name', 'text', none),
    ('size', 'bigint', none),
    ('created_timestamp', 'timestamp', none),
    ('updated_timestamp', 'timestamp', none),
]) }}
