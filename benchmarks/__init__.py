"""Benchmarks of tap-pinterest-ads against the local API simulator (`make bench`)."""
