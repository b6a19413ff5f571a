"""meltano.yml agrees with the tap and needs no Meltano Hub (static checks, no Meltano run)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import REPO, MeltanoRunner

SECRETS = {"client_secret", "refresh_token", "access_token"}
KIND_OF_JSON_TYPE = {
    "integer": "integer",
    "boolean": "boolean",
    "object": "object",
    "array": "array",
}


@pytest.fixture(scope="module")
def project() -> dict:
    return yaml.safe_load((REPO / "meltano.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def about() -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "tap_pinterest_ads", "--about", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    return json.loads(out)


def plugin(project: dict, kind: str, name: str) -> dict:
    return next(p for p in project["plugins"][kind] if p["name"] == name)


def test_project_level_settings(project: dict) -> None:
    assert project["default_environment"] == "dev"
    assert project["send_anonymous_usage_stats"] is False
    assert project["requires_meltano"] == ">=4.0"
    assert "version" not in project  # deprecated in Meltano 4
    assert "dev" in {env["name"] for env in project["environments"]}


def test_every_plugin_is_fully_specified_so_no_hub_lookup(project: dict) -> None:
    for kind in ("extractors", "loaders", "transformers"):
        for spec in project["plugins"][kind]:
            if "inherit_from" in spec:
                continue
            assert spec.get("namespace"), spec["name"]
            assert spec.get("pip_url"), spec["name"]
            assert spec.get("executable"), spec["name"]


def test_extractor_declares_every_tap_setting_with_its_kind(project: dict, about: dict) -> None:
    tap = plugin(project, "extractors", "tap-pinterest-ads")
    declared = {s["name"]: s for s in tap["settings"]}
    assert set(declared) == set(about["settings"]["properties"])
    for name, schema in about["settings"]["properties"].items():
        setting = declared[name]
        types = set(schema.get("type") or [t["type"] for t in schema.get("oneOf", [])]) - {"null"}
        if name == "advertiser_ids":
            # "1,2" must reach the tap as a string: `kind: array` would make integers of it.
            expected = "string"
        elif schema.get("format") == "date":
            expected = "date_iso8601"
        elif "enum" in schema and types == {"string"}:
            expected = "options"
            options = [option["value"] for option in setting["options"]]
            assert options == [v for v in schema["enum"] if v is not None], name
        elif len(types) == 1 and next(iter(types)) in KIND_OF_JSON_TYPE:
            # Integer enums stay `integer`: option values from env vars would arrive as text.
            expected = KIND_OF_JSON_TYPE[next(iter(types))]
        else:
            expected = "string"
        assert setting.get("kind") == expected, name
        assert bool(setting.get("sensitive")) == (name in SECRETS), name
        assert schema.get("secret", False) == (name in SECRETS), name


def test_extractor_capabilities_and_credentials(project: dict, about: dict) -> None:
    tap = plugin(project, "extractors", "tap-pinterest-ads")
    assert tap["namespace"] == "tap_pinterest_ads"
    assert tap["pip_url"] == "-e ."
    assert tap["executable"] == "tap-pinterest-ads"
    assert set(tap["capabilities"]) == {
        "state", "catalog", "discover", "about", "stream-maps", "schema-flattening",
        "activate-version", "batch", "structured-logging",
    }  # fmt: skip
    assert set(tap["capabilities"]) <= set(about["capabilities"])
    assert tap["settings_group_validation"] == [
        ["client_id", "client_secret", "refresh_token"],
        ["access_token"],
    ]


def test_no_secret_values_in_the_project_file(project: dict) -> None:
    text = (REPO / "meltano.yml").read_text(encoding="utf-8")
    for spec in project["plugins"]["extractors"]:
        assert not SECRETS & set(spec.get("config", {})), spec["name"]
    assert "password: ${PGPASSWORD}" in text  # from the environment only


def test_the_two_jobs_extractors(project: dict) -> None:
    delivery = plugin(project, "extractors", "tap-pinterest-ads--delivery")
    assert delivery["inherit_from"] == "tap-pinterest-ads"
    assert delivery["select"] == ["pin_promotion_delivery.*", "metrics_ready_state.*"]
    assert delivery["config"]["lookback_days"] == 5
    assert delivery["config"]["stream_maps"] == {
        "pin_promotion_delivery": {"__alias__": "pinterest_data_delivery"}
    }
    meta = plugin(project, "extractors", "tap-pinterest-ads--meta")
    assert meta["inherit_from"] == "tap-pinterest-ads"
    assert meta["select"] == ["ad_accounts.*", "campaigns.*", "ad_groups.*", "pin_promotions.*"]
    assert meta["config"]["emit_activate_version_messages"] is True
    assert meta["config"]["stream_maps"] == {
        "ad_accounts": {"__alias__": "pinterest_meta_adaccount"},
        "campaigns": {"__alias__": "pinterest_meta_campaign"},
        "ad_groups": {"__alias__": "pinterest_meta_adgroup"},
        "pin_promotions": {"__alias__": "pinterest_meta_pinpromotion"},
    }


def test_loaders(project: dict) -> None:
    postgres = plugin(project, "loaders", "target-postgres")
    assert postgres["namespace"] == "target_postgres"
    assert postgres["pip_url"] == "meltanolabs-target-postgres==0.8.1"
    config = postgres["config"]
    assert config["use_copy"] is True
    assert config["hard_delete"] is False
    assert config["activate_version"] is True
    assert config["add_record_metadata"] is True
    assert config["default_target_schema"] == "pinterest"
    for name, var in [
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("database", "PGDATABASE"),
    ]:
        assert config[name] == f"${{{var}}}"
    duckdb = plugin(project, "loaders", "target-duckdb")
    # duckdb >= 1.3 makes target-duckdb 0.8.0 drop the first row of every batch.
    assert sorted(duckdb["pip_url"].split()) == ["duckdb==1.2.2", "target-duckdb==0.8.0"]


def test_dbt_transformers_pin_their_versions_and_share_the_duckdb_file(project: dict) -> None:
    postgres = plugin(project, "transformers", "dbt-postgres")
    duckdb = plugin(project, "transformers", "dbt-duckdb")
    for dbt in (postgres, duckdb):
        assert dbt["executable"] == "dbt"
        assert all("==" in requirement for requirement in dbt["pip_url"].split()), dbt["name"]
        assert {"run", "test", "build", "docs-generate"} <= set(dbt["commands"]), dbt["name"]
        settings = {s["name"]: s for s in dbt["settings"]}
        assert settings["project_dir"]["value"] == "$MELTANO_PROJECT_ROOT/transform"
        assert (REPO / "transform" / "profiles").is_dir()
        profiles = settings["profiles_dir"]["value"].replace("$MELTANO_PROJECT_ROOT", str(REPO))
        assert (Path(profiles) / "profiles.yml").is_file(), dbt["name"]
    for name, var in [("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"),
                      ("password", "PGPASSWORD"), ("dbname", "PGDATABASE")]:  # fmt: skip
        assert postgres["config"][name] == f"${{{var}}}"
    # dbt-duckdb opens the file target-duckdb writes: one duckdb version, one storage format.
    target = plugin(project, "loaders", "target-duckdb")
    assert "duckdb==1.2.2" in duckdb["pip_url"].split()
    assert duckdb["config"]["path"] == target["config"]["filepath"]


def test_jobs_and_schedules(project: dict) -> None:
    jobs = {job["name"]: job["tasks"] for job in project["jobs"]}
    assert jobs == {
        "pinterest-ads-delivery-import": [
            "tap-pinterest-ads--delivery target-postgres dbt-postgres:build"
        ],
        "pinterest-ads-meta-refresh": [
            "tap-pinterest-ads--meta target-postgres dbt-postgres:build"
        ],
    }
    schedules = {s["job"]: s["interval"] for s in project["schedules"]}
    assert schedules == {
        "pinterest-ads-delivery-import": "0 5 * * *",
        "pinterest-ads-meta-refresh": "0 7 * * *",
    }


@pytest.mark.e2e
def test_meltano_reads_the_jobs_and_schedules_offline(meltano_project: MeltanoRunner) -> None:
    """Meltano itself accepts the project without Meltano Hub (every plugin is custom)."""
    listed = json.loads(meltano_project("schedule", "list", "--format=json").stdout)
    schedules = {s["name"]: s for s in listed["schedules"]["job"]}
    assert {name: s["interval"] for name, s in schedules.items()} == {
        "pinterest-ads-delivery-import-daily": "0 5 * * *",
        "pinterest-ads-meta-refresh-daily": "0 7 * * *",
    }
    assert schedules["pinterest-ads-meta-refresh-daily"]["job"]["tasks"] == [
        "tap-pinterest-ads--meta target-postgres dbt-postgres:build"
    ]
    listing = meltano_project("select", "tap-pinterest-ads--meta", "--list").stdout
    selected = set(re.findall(r"\[(?:selected|automatic)\s*\] (\w+)\.", listing))
    assert selected == {"ad_accounts", "campaigns", "ad_groups", "pin_promotions"}
