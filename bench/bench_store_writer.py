"""Benchmark: the scanning process's writer, findings into the store, with and without the index
on their keyed hashes (the workspace's person lookups), side by side in one run.

The findings are what a contact list gives (a phone number a row, a random keyed hash each); they
are written 2 000 at a time through `Store._add_findings`, as the runner writes a big file's
findings, with a commit every 20 000. Printed: CPU µs per finding for each way, and for the way
a scan writes now (no index, `Store.without_value_index`) the time to build the index at the end.

Usage:
  python bench/bench_store_writer.py --findings 3000000
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanner.model import Finding  # noqa: E402
from scanner.store import VALUE_INDEX, Store  # noqa: E402

BATCH = 2000


def write(findings: int, with_index: bool) -> dict:
    """Write `findings` into a fresh store; CPU µs a finding, and the index's build time when built after."""
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store.sqlite")
        if with_index:
            store.db.execute(VALUE_INDEX)
        started = time.process_time()
        for n in range(findings // BATCH):
            store._add_findings(7, [Finding("DK_PHONE", "contact", 0.85, "xxxxxx12", f"{rng.getrandbits(128):032x}",
                                            f"row {n * BATCH + k}, column Telefon") for k in range(BATCH)])
            if n % 10 == 9:
                store.commit()
        store.commit()
        row = {"way": "index kept up to date" if with_index else "no index while writing",
               "cpu_us_per_finding": round((time.process_time() - started) / findings * 1e6, 2)}
        if not with_index:
            built = time.monotonic()
            store.db.execute(VALUE_INDEX)
            store.commit()
            row["index_built_after_s"] = round(time.monotonic() - built, 2)
        store.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--findings", type=int, default=3_000_000)
    args = parser.parse_args()
    for with_index in (False, True):
        print(write(args.findings, with_index), flush=True)


if __name__ == "__main__":
    main()
