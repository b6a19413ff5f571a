{{ pinterest_stage('ad_accounts', [
    ('id', 'text', 'ad_account_id'),
    ('name', 'text', 'ad_account_name'),
    ('country', 'text', none),
    ('currency', 'text', none),
    ('created_time', 'timestamp', none),
    ('updated_time', 'timestamp', none),
]) }}
