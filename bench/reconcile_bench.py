"""Benchmark: reconciliation time and memory for a large scan, and register import/check time.

Builds N synthetic items (default 200 000) spread over customer folders, mail, finance
and unknown folders, with the sample register, and times `reconcile` (all gap kinds,
folder and content clocks included). Also times importing the sample Word register and
checking the sample register file.

Usage: .venv/bin/python bench/reconcile_bench.py [N]
"""
from __future__ import annotations

import random
import resource
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reports.gaps.reconcile import reconcile  # noqa: E402
from reports.register.load import load_register  # noqa: E402
from reports.register.load import read_register  # noqa: E402
from reports.register.import_docx import draft_register  # noqa: E402
from scanner.model import Finding, ItemResult  # noqa: E402

SAMPLE = REPO / "samples" / "interket"
AS_OF = date(2026, 11, 1)
FOLDERS = ["Kunder/Aktive/K{n}", "Kunder/Tidligere/K{n}", "Mail/Tidligere kunder/K{n}", "Økonomi/Eksport",
           "Diverse/Mappe{n}"]
ENTITIES = [("EMAIL_ADDRESS", "contact"), ("DK_PHONE", "contact"), ("DK_CPR", "cpr")]


def items(n: int) -> list[ItemResult]:
    rng = random.Random(6)
    start = datetime(2012, 1, 1, tzinfo=timezone.utc)
    out = []
    for i in range(n):
        folder = rng.choice(FOLDERS).format(n=rng.randrange(2000))
        when = start + timedelta(days=rng.randrange(5200))
        dates = {"sent": when} if folder.startswith("Mail") else {"content": when} if i % 7 == 0 else {}
        findings = [Finding(*rng.choice(ENTITIES), 0.9, "xx", f"h{i}-{k}") for k in range(rng.randrange(4))]
        out.append(ItemResult(f"{folder}/fil{i}.txt", None, 1000, when, dates=dates, findings=findings))
    return out


def timed(label: str, func):
    started = time.perf_counter()
    result = func()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    register = load_register(SAMPLE / "register.yaml")
    data = timed(f"build {n} items", lambda: items(n))
    gaps = timed(f"reconcile {n} items", lambda: reconcile(register, data, AS_OF))
    kinds: dict[str, int] = {}
    for g in gaps:
        kinds[g.kind] = kinds.get(g.kind, 0) + 1
    print(f"gaps: {len(gaps)} {dict(sorted(kinds.items()))}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    timed("register import (sample fortegnelse.docx)", lambda: draft_register(SAMPLE / "fortegnelse.docx"))
    timed("register check (sample register.yaml)", lambda: read_register(SAMPLE / "register.yaml"))


if __name__ == "__main__":
    main()
