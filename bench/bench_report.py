"""Benchmark: report, diff and review marks on a large synthetic scan (no detection involved).

Writes two scans of N items into a fresh store (the second with 2 % of the items removed and
2 % new), then times `build_report` (reconcile + review marks + inventory + diff) and each
report format, and reports peak memory. Values are synthetic masks and hashes: no personal data.

Usage: .venv/bin/python bench/bench_report.py [--items 20000] [--findings-per-item 5]
"""
from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.gaps.findings import finding_rows  # noqa: E402
from reports.register.load import load_register  # noqa: E402
from reports.render.report import build_report  # noqa: E402
from reports.render.write import write_report  # noqa: E402
from reports.gaps.reviews import Mark, Reviews  # noqa: E402
from scanner.model import Finding, ItemResult  # noqa: E402
from scanner.store import Store  # noqa: E402

REGISTER = Path(__file__).resolve().parents[1] / "samples" / "interket" / "register.yaml"
FOLDERS = ["Kunder/Aktive/Firma {n}", "Kunder/Tidligere/Firma {n}", "Økonomi/Eksport", "Diverse/Mappe {n}"]
TYPES = [("EMAIL_ADDRESS", "contact"), ("DK_PHONE", "contact"), ("DK_CPR", "cpr")]


def items(n: int, per_item: int, skip: set[int], start: int = 0) -> list[ItemResult]:
    out = []
    base = datetime(2026, 10, 1, tzinfo=timezone.utc)
    for i in range(start, start + n):
        if i in skip:
            continue
        folder = FOLDERS[i % len(FOLDERS)].format(n=i % 200)
        findings = []
        for k in range(per_item if i % 3 else 0):  # a third of the items hold no personal data
            entity, category = TYPES[(i + k) % len(TYPES)]
            h = hashlib.sha256(f"{i}/{k}".encode()).hexdigest()[:32]
            findings.append(Finding(entity, category, 0.9, f"xxxx{h[:2]}", h, f"line {k + 1}"))
        out.append(ItemResult(f"{folder}/dok {i}.txt", None, 1000, base - timedelta(days=(i * 7) % 4000),
                              findings=findings))
    return out


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    print(f"  {label:<28} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--findings-per-item", type=int, default=5)
    args = parser.parse_args()
    register, as_of = load_register(REGISTER), date(2026, 11, 1)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite")
        removed = set(range(0, args.items, 50))
        for scan_items in (items(args.items, args.findings_per_item, set()),
                           items(args.items, args.findings_per_item, removed) +
                           items(len(removed), args.findings_per_item, set(), start=args.items)):
            scan_id = store.begin_scan("/bench", str(REGISTER), register.version, {"as_of": as_of.isoformat()})
            store.add_results(scan_id, scan_items)
            store.finish_scan(scan_id, {"items": len(scan_items), "findings": sum(len(i.findings) for i in scan_items)})
        findings = store.scan(scan_id).stats["findings"]
        print(f"{args.items} items, {findings} findings per scan, 2 scans")
        # the DPO marked every 100th finding of scan 1 as a false positive
        reviews = Reviews([Mark("finding", f.id, "false_positive") for f in finding_rows(store.results(1))[::100]])
        print(f"  {len(reviews.marks)} review marks")
        build_report(store, 1, register, reviews, as_of)
        report = timed("build_report (scan 2)", lambda: build_report(store, scan_id, register, reviews, as_of))
        print(f"  {len(report.gaps)} gaps, {len(report.findings)} distinct findings, {len(report.inventory)} places, "
              f"diff: {len(report.diff.new_findings)} new / {len(report.diff.gone_findings)} gone findings")
        out = Path(tmp) / "out"
        for fmt in ("html", "json", "csv", "xlsx"):
            paths = timed(f"write {fmt}", lambda: write_report(report, out, [fmt]))
            print(f"  {'':<28} {sum(p.stat().st_size for p in paths) / 1e6:7.1f} MB")
        store.close()
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
