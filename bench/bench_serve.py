"""How fast the workspace answers on a big store: the gap list and a person lookup (< 300 ms wanted).

Builds a synthetic store (by default 200 000 items holding 1 000 000 findings in the last scan,
plus a smaller earlier scan for the trend and "new since"), reconciled with the sample register
so the gaps are real, with one planted CPR number in a few places. Then it times pages through
Flask's test client (the application's full path: routing, store, templates), cold and warm.

    PYTHONPATH=. python bench/bench_serve.py [--items 200000] [--findings 1000000] [--keep store.sqlite]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from detectors.privacy import ValueHasher, load_or_create_key, mask
from reports.gaps.reconcile import reconcile
from reports.gaps.stored import export_reviews
from reports.register.load import load_register
from scanner.model import Finding, ItemResult
from scanner.store import WorkspaceStore

REPO = Path(__file__).resolve().parents[1]
REGISTER = REPO / "samples" / "interket" / "register.yaml"
AS_OF = date(2026, 11, 1)
ENTITIES = (("DK_CPR", "cpr"), ("EMAIL_ADDRESS", "contact"), ("DK_PHONE", "contact"), ("PERSON", "contact"),
            ("DK_ADDRESS", "contact"), ("DK_HEALTH", "special"), ("DK_BANK_ACCOUNT", "financial"))
TOPS = ["Kunder/Aktive", "Kunder/Tidligere", "Mail/Indbakke", "Økonomi/Bogføring", "Diverse", "Projekter",
        "Hjemmemapper", "Scanninger", "Arkiv"]
PLANTED = "230684-1239"  # a made-up CPR number planted in a few places (the lookup's target)


def _items(rng: random.Random, n_items: int, n_findings: int, hasher: ValueHasher, planted: int) -> list[ItemResult]:
    """Synthetic items: files in a few thousand folders, some inside zip files, findings spread unevenly."""
    owners = [f"bruger{n:02d}" for n in range(40)]
    pool = [f"{rng.randrange(10**9, 10**10)}" for _ in range(max(n_findings // 3, 1))]  # values repeat
    per_item = [0] * n_items
    for _ in range(n_findings):
        busy = rng.random() < 0.2  # a fifth of the findings sit in 1 % of the files (lists, exports)
        per_item[rng.randrange(max(n_items // 100, 1)) if busy else rng.randrange(n_items)] += 1
    start = datetime(2012, 1, 1, tzinfo=timezone.utc)
    items = []
    for n in range(n_items):
        folder = f"{rng.choice(TOPS)}/mappe{rng.randrange(3000):04d}"
        location = f"{folder}/fil{n:06d}.docx"
        if n % 5 == 0:
            location = f"{folder}/pakke{n // 5:05d}.zip › del{n % 7}.txt"
        findings = []
        for k in range(per_item[n]):
            entity, category = ENTITIES[rng.randrange(len(ENTITIES))]
            value = pool[rng.randrange(len(pool))]
            findings.append(Finding(entity, category, 0.85, mask(entity, value), hasher(entity, value), f"line {k + 1}"))
        if n < planted:
            findings.append(Finding("DK_CPR", "cpr", 0.99, mask("DK_CPR", PLANTED), hasher("DK_CPR", PLANTED), "line 1"))
        parent = location.split(" › ")[0] if " › " in location else None
        items.append(ItemResult(location, parent, 1000 + n, start + timedelta(days=rng.randrange(5000)),
                                findings=findings, owner=owners[n % len(owners)]))
    return items


def build(path: Path, n_items: int, n_findings: int) -> None:
    rng = random.Random(18)
    hasher = ValueHasher(load_or_create_key())
    register = load_register(REGISTER)
    store = WorkspaceStore(path)
    for scale in (10, 1):
        t0 = time.perf_counter()
        items = _items(rng, n_items // scale, n_findings // scale, hasher, planted=5)
        scan_id = store.begin_scan("/bench/share", str(REGISTER), register.version, {"as_of": AS_OF.isoformat()})
        for start in range(0, len(items), 5000):
            store.add_results(scan_id, items[start:start + 5000], commit=False)
        store.commit()
        gaps = reconcile(register, items, AS_OF)
        store.save_gaps(scan_id, gaps)
        store.finish_scan(scan_id, {"by_entity": store.scan_counts(scan_id)["by_entity"]})
        print(f"scan {scan_id}: {len(items):,} items, {sum(len(i.findings) for i in items):,} findings, "
              f"{len(gaps):,} gaps, built in {time.perf_counter() - t0:.0f} s", flush=True)
    export_reviews(store, path.parent / "reviews.yaml")
    store.close()


def _time(call, runs: int) -> tuple[float, float, float]:
    """(first call, median of the next `runs`, median CPU time of this process for them) in ms.

    CPU time shows the work itself when other jobs share the machine (wall time then waits for them)."""
    t0 = time.perf_counter()
    call()
    first = (time.perf_counter() - t0) * 1000
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return first, statistics.median(wall), statistics.median(cpu)


def measure(path: Path, runs: int) -> None:
    from reports.web.app import ServeConfig, create_app

    t0 = time.perf_counter()
    WorkspaceStore(path).close()  # creates the workspace's indexes on a store that lacks them
    print(f"open the store (indexes made once): {time.perf_counter() - t0:.1f} s")
    config = ServeConfig(db=path, reviews_file=path.parent / "reviews.yaml", user="bench")
    client = create_app(config).test_client()
    assert client.get(f"/login?token={config.token}").status_code == 303
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/lookup").get_data(as_text=True)).group(1)

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return call

    def lookup(all_scans=""):
        def call():
            page = client.post("/lookup", data={"csrf": csrf, "kind": "cpr", "value": PLANTED, "all_scans": all_scans})
            assert "5 fund på 5 steder" in page.get_data(as_text=True) or all_scans, page.get_data(as_text=True)[:300]
        return call

    cases = [("gap list (first page)", get("/gaps")), ("gap list, filter kind+severity", get("/gaps?kind=overdue&severity=high")),
             ("gap list, filter owner", get("/gaps?owner=bruger07")), ("gap list, new since last scan", get("/gaps?new=1")),
             ("gap list, page 3", get("/gaps?page=3")), ("person lookup (CPR)", lookup()),
             ("person lookup, all scans", lookup("1")), ("overview", get("/")), ("findings list", get("/findings")),
             ("findings, filter category+owner", get("/findings?category=cpr&owner=bruger07")),
             ("owners", get("/owners")), ("trends", get("/trends")), ("register view", get("/register"))]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'page':40} {'first ms':>9} {'median ms':>10} {'CPU ms':>7}")
    for name, call in cases:
        first, median, cpu = _time(call, runs)
        print(f"{name:40} {first:9.0f} {median:10.0f} {cpu:7.0f}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--items", type=int, default=200_000)
    p.add_argument("--findings", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--keep", type=Path, default=None, help="build the store here (reused when it exists)")
    args = p.parse_args()
    path = args.keep or Path(tempfile.mkdtemp(prefix="bench-serve-")) / "store.sqlite"
    os.environ["DATAKORT_KEY_FILE"] = str(path.with_suffix(".key"))  # the store's own key, kept beside it
    if not path.exists():
        build(path, args.items, args.findings)
    size = path.stat().st_size / 1e6
    print(f"store {path}: {size:.0f} MB")
    measure(path, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
