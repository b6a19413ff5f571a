{{ pinterest_stage('keywords', [
    ('id', 'text', 'keyword_id'),
    ('ad_account_id', 'text', none),
    ('value', 'text', none),
    ('match_type', 'text', none),
    ('parent_id', 'text', none),
    ('parent_type', 'text', none),
    ('type', 'text', none),
    ('archived', 'boolean', none),
    ('bid', 'bigint', none),
    ('bid_amount', 'money', none),
]) }}
