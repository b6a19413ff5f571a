"""End-to-end tests: the repo's meltano.yml run by Meltano against the simulator and PostgreSQL."""
