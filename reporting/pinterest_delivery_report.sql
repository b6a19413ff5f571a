-- pinterest.pinterest_delivery_report: daily PIN_PROMOTION delivery with the connector spec's
-- dimensions (campaign, ad group and pin promotion names) and its composite metrics.
--
-- Created by: scripts/create_reporting_view.py POSTGRES_URL  (or: make reporting-view PG_URL=...)
-- after the first runs of both jobs (pinterest-ads-delivery-import, pinterest-ads-meta-refresh),
-- because a view needs its tables to exist.
--
-- * Names come from the meta tables through LEFT JOINs and are kept when the entity was
--   soft-deleted (`_sdc_deleted_at` set by ACTIVATE_VERSION once it vanished from the API):
--   its historic delivery still happened and still needs a name. `*_removed` says so.
--   A delivery row whose entity was never seen by Meta Refresh keeps NULL names.
-- * Composite metrics are recomputed from the additive base columns of the same row, so they
--   re-aggregate correctly (sum the base columns, then divide); a zero denominator gives NULL.
--   CPC = spend / paid_clicks, CPV = spend / video_views,
--   VTR = video_completes / paid_impressions, VCR = video_completes / video_views.
--   Counts are bigint: cast to numeric before dividing, or PostgreSQL divides integers.
-- * spend and conversion_value are in the ad account's currency (column `currency`).
CREATE OR REPLACE VIEW pinterest.pinterest_delivery_report AS
SELECT
    d.date,
    d.ad_account_id,
    d.currency,
    d.campaign_id,
    c.name AS campaign_name,
    d.ad_group_id,
    g.name AS ad_group_name,
    d.pin_promotion_id,
    p.name AS pin_promotion_name,
    d.pin_id,
    d.spend,
    d.paid_impressions,
    d.paid_clicks,
    d.video_views,
    d.video_completes,
    d.conversions,
    d.conversion_value,
    d.spend / NULLIF(d.paid_clicks, 0) AS cpc,
    d.spend / NULLIF(d.video_views, 0) AS cpv,
    d.video_completes::numeric / NULLIF(d.paid_impressions, 0) AS vtr,
    d.video_completes::numeric / NULLIF(d.video_views, 0) AS vcr,
    c._sdc_deleted_at IS NOT NULL AS campaign_removed,
    g._sdc_deleted_at IS NOT NULL AS ad_group_removed,
    p._sdc_deleted_at IS NOT NULL AS pin_promotion_removed
FROM pinterest.pinterest_data_delivery AS d
LEFT JOIN pinterest.pinterest_meta_campaign AS c ON c.id = d.campaign_id
LEFT JOIN pinterest.pinterest_meta_adgroup AS g ON g.id = d.ad_group_id
LEFT JOIN pinterest.pinterest_meta_pinpromotion AS p ON p.id = d.pin_promotion_id
-- Delivery is incremental (no ACTIVATE_VERSION), so this only guards against manual versioning.
WHERE d._sdc_deleted_at IS NULL;
