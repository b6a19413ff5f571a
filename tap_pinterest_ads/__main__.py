"""Allow `python -m tap_pinterest_ads`."""

from tap_pinterest_ads.tap import main

main()
