"""tap-pinterest-ads: a Singer tap for the Pinterest Ads API v5."""
