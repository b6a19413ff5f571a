"""The results as Markdown tables (results.md, printed at the end of a run)."""

from __future__ import annotations


def markdown(results: dict) -> str:  # noqa: PLR0912
    lines = [
        f"Run {results['started']} on {results['machine']} (load average at start "
        f"{results['loadavg']}); medians of {results['runs']} runs unless noted.",
        "",
        "### Throughput of pin_promotion_delivery (stdout to /dev/null)",
        "",
        "| Scenario | Rows | Records/s (record path) | Records per CPU-s (record path) | "
        "Records/s incl. download | Ratio to baseline (wall) | Ratio (CPU) | Peak RSS (MiB) | "
        "Report wait (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, section in results.get("throughput", {}).items():
        base = section.get("baseline")
        rows = [
            ("tap, JSON", section.get("tap_json")),
            ("tap, CSV", section.get("tap_csv")),
            ("tap, BATCH files (jsonl.gz, batch_config)", section.get("tap_batch")),
            ("tap, BATCH files (plain jsonl, batch_config)", section.get("tap_batch_plain")),
            (
                "before: singer-sdk's record path (P1, P2 undone), JSON",
                section.get("sdk_record_path"),
            ),
            *(
                (f"before: parse.py as of {section['parse_before']['revision']}, {fmt}", data)
                for fmt, data in section.get("parse_before", {}).items()
                if fmt != "revision"
            ),
            *((f"what-if: {k}", v) for k, v in section.get("variants", {}).items()),
            ("baseline (json.loads + json.dumps)", base),
        ]
        for label, data in rows:
            if not data:
                continue
            ratio = f"{data['emit_rate'] / base['emit_rate']:.2f}×" if base else "–"
            cpu = data.get("emit_cpu_rate")
            cpu_ratio = f"{cpu / base['emit_cpu_rate']:.2f}×" if base and cpu else "–"
            wait = f"{data['wait_s']:.1f}" if "wait_s" in data else "–"
            lines.append(
                f"| {name} {label} (n={data['runs']}) | {data['records']:,.0f} | "
                f"{data['emit_rate']:,.0f} | {f'{cpu:,.0f}' if cpu else '–'} | "
                f"{data['phase_rate']:,.0f} | {ratio} | {cpu_ratio} | "
                f"{data['rss_mib']:.0f} | {wait} |"
            )
    peer_data = results.get("peer")
    tap150 = results.get("throughput", {}).get("150k", {}).get("tap_json")
    if peer_data and "records" in peer_data:
        lines += [
            "",
            "### Peer: airbyte-source-pinterest 2.1.12, stream pin_promotion_report, 150k rows",
            "",
            "| | Rows | Records/s incl. download | Peak RSS (MiB) | Report wait (s) | Wall (s) | "
            "Report file (MB) | Tap/peer |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            f"| peer (n={peer_data['runs']}) | {peer_data['records']:,.0f} | "
            f"{peer_data['phase_rate']:,.0f} | {peer_data['rss_mib']:.0f} | "
            f"{peer_data['wait_s']:.1f} | {peer_data['wall_s']:.0f} | "
            f"{peer_data['report_bytes'] / 1e6:.0f} | "
            + (f"{tap150['phase_rate'] / peer_data['phase_rate']:.1f}× |" if tap150 else "– |"),
        ]
        if tap150:
            lines.append(
                f"| tap JSON (same simulator) | {tap150['records']:,.0f} | "
                f"{tap150['phase_rate']:,.0f} | {tap150['rss_mib']:.0f} | {tap150['wait_s']:.1f} | "
                f"{tap150['wall_s']:.0f} | – | 1× |"
            )
    eco = results.get("economy")
    if eco:
        lines += [
            "",
            f"### API economy: one entities + delivery sync of {eco['dataset']['accounts']} "
            "accounts",
            "",
            "| Requests | Actual | Minimum |",
            "|---|---:|---:|",
        ]
        for key in sorted(set(eco["actual"]) | set(eco["minimum"])):
            lines.append(f"| {key} | {eco['actual'].get(key, 0)} | {eco['minimum'].get(key, 0)} |")
        lines.append(
            f"| **total** | **{eco['total_actual']}** | **{eco['total_minimum']}** "
            f"(ratio {eco['ratio']:.2f}×; without polls {eco['ratio_without_polls']:.2f}×; "
            f"{eco['polls_per_report']:.1f} polls per report) |"
        )
    conc = results.get("concurrency")
    if conc:
        lines += [
            "",
            f"### Concurrency: {conc['dataset']['accounts']} accounts, each report takes L s",
            "",
            "| L (s), tap | Delivery sync (s, first create → exit) | ÷ L | Process wall (s) | "
            "Polls per report | Creates spread (s) |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for delay, data in conc.items():
            if not isinstance(data, dict) or "delivery_s" not in data:
                continue
            lines.append(
                f"| {delay} | {data['delivery_s']:.1f} | {data['ratio']:.2f}× | "
                f"{data['wall_s']:.1f} | {data['polls_per_report']:.1f} | "
                f"{data['creates_span_s']:.2f} |"
            )
    loading = results.get("load")
    if loading:
        lines += ["", "### Loading into PostgreSQL (150k rows, one run each)", ""]
        if "skipped" in loading:
            lines.append(f"Skipped: {loading['skipped']}")
        else:
            lines += [
                f"`{loading['command']}`",
                "",
                "| target-postgres 0.8.1 config | Rows | Wall (s) | Rows/s (wall) | "
                "Rows/s from download |",
                "|---|---:|---:|---:|---:|",
            ]
            for label, data in loading.items():
                if isinstance(data, dict):
                    lines.append(
                        f"| {label} | {data['rows']:,} | {data['wall_s']:.1f} | "
                        f"{data['rows_per_s_wall']:,.0f} | "
                        f"{data['rows_per_s_from_download']:,.0f} |"
                    )
    prof = results.get("profile")
    if prof:
        lines += [
            "",
            "### Profile of the 150k JSON sync (cProfile; record path "
            f"{prof['record_path_s']:.1f} s profiled, waits excluded)",
            "",
            "| # | Function (own time) | Calls | Own s | Share |",
            "|---:|---|---:|---:|---:|",
        ]
        for index, entry in enumerate(prof["top"], 1):
            lines.append(
                f"| {index} | `{entry['function']}` | {entry['ncalls']:,} | "
                f"{entry['tottime_s']:.2f} | {entry['share']:.0%} |"
            )
        lines += ["", "| Stage (cumulative) | s | Share |", "|---|---:|---:|"]
        for stage in prof["stages"]:
            lines.append(f"| {stage['stage']} | {stage['cum_s']:.2f} | {stage['share']:.0%} |")
    mic = results.get("micro")
    if mic:
        lines += [
            "",
            "### Micro: the tap's own stages, µs per row (best of 3, in-process)",
            "",
            "| Format | Rows | parse.py | records.py build |",
            "|---|---:|---:|---:|",
        ]
        for fmt, data in mic.items():
            lines.append(
                f"| {fmt} | {data['rows']:,} | {data['parse_us']:.1f} | {data['build_us']:.1f} |"
            )
    return "\n".join(lines + many_accounts_table(results.get("many_accounts"))) + "\n"


def many_accounts_table(many: dict | None) -> list[str]:
    """The many-accounts section (benchmarks/many_accounts.py), one row per account count."""
    if not many:
        return []
    lines = [
        "",
        f"### Many accounts: {many['limit']} ads_analytics calls per {many['window_s']:g} s, "
        f"reports ready after {many['report_latency_s']:g} s",
        "",
        "| Accounts | Requests (minimum) | Ratio | Polls/report | 429s | Wall (s) | Floor (s) | "
        "Target 1.2×floor+latency (s) | Peak RSS (MiB) | Rows delivered / in reports |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for accounts, d in many.items():
        if not accounts.isdigit():
            continue
        lines.append(
            f"| {int(accounts):,} | {d['requests']:,} ({d['minimum']:,}) | {d['ratio']:.3f} | "
            f"{d['polls_per_report']:.2f} | {d['http_429']} | {d['wall_s']:.1f} | "
            f"{d['floor_s']:.1f} | {d['target_s']:.1f} | {d['rss_mib']:.0f} | "
            f"{d['rows_delivered']:,} / {d['rows_in_reports']:,} |"
        )
    return lines
