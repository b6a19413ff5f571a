{#- Sum of ad-level (PIN_PROMOTION) spend = account-level (ADVERTISER) spend, per ad account and
    day, over the days both streams were read for. ad_account_delivery is opt-in: without it
    this test has nothing to compare and passes. Rows returned = days that disagree. -#}
with ad_level as (
    select ad_account_id, date_day, sum(spend) as spend
    from {{ ref('stg_pinterest__pin_promotion_delivery') }}
    where not is_removed
    group by ad_account_id, date_day
),

account_level as (
    select ad_account_id, date_day, spend
    from {{ ref('stg_pinterest__ad_account_delivery') }}
    where not is_removed
),

covered as (
    select ad.ad_account_id,
           greatest(ad.first_day, account.first_day) as first_day,
           least(ad.last_day, account.last_day) as last_day
    from (select ad_account_id, min(date_day) as first_day, max(date_day) as last_day
          from ad_level group by ad_account_id) as ad
    inner join (select ad_account_id, min(date_day) as first_day, max(date_day) as last_day
                from account_level group by ad_account_id) as account
        on account.ad_account_id = ad.ad_account_id
),

compared as (
    select coalesce(ad_level.ad_account_id, account_level.ad_account_id) as ad_account_id,
           coalesce(ad_level.date_day, account_level.date_day) as date_day,
           coalesce(ad_level.spend, 0) as ad_level_spend,
           coalesce(account_level.spend, 0) as account_level_spend
    from ad_level
    full outer join account_level
        on account_level.ad_account_id = ad_level.ad_account_id
        and account_level.date_day = ad_level.date_day
)

select compared.*
from compared
inner join covered
    on covered.ad_account_id = compared.ad_account_id
    and compared.date_day between covered.first_day and covered.last_day
where compared.ad_level_spend <> compared.account_level_spend
