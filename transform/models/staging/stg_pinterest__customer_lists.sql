{{ pinterest_stage('customer_lists', [
    ('id', 'text', 'customer_list_id'),
    ('ad_account_id', 'text', none),
    ('name', 'text', 'customer_list_name'),
    ('status', 'text', 'customer_list_status'),
    ('type', 'text', none),
    ('num_batches', 'bigint', none),
    ('num_removed_user_records', 'bigint', none),
    ('num_uploaded_user_records', 'bigint', none),
    ('created_time', 'timestamp', none),
    ('updated_time', 'timestamp', none),
]) }}
