{{ pinterest_stage('targeting_options', [
    ('targeting_type', 'text', none),
    ('id', 'text', 'targeting_option_id'),
    ('name', 'text', 'targeting_option_name'),
]) }}
