"""Time and peak memory of a scan of the hostile corpus (tests/hostile_corpus.py).

Usage: .venv/bin/python bench/bench_hostile.py [WORKDIR]
Builds the corpus (corrupt documents, zip bombs, a 10 GB sparse file, a million-row workbook,
deep folders, links, non-UTF-8 names …), scans it with `datakort scan` in a child process and
prints the wall time, the child's peak RSS and the counts. Numbers: docs/security.md.
"""
from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import hostile_corpus as hc  # noqa: E402


def main(workdir: Path) -> None:
    root, work = workdir / "share", workdir / "work"
    root.mkdir(parents=True)
    work.mkdir()
    started = time.monotonic()
    hc.build_corpus(root)
    built = time.monotonic() - started
    child = hc.scan_in_child(root, work)
    stats = json.loads(sqlite3.connect(work / "store.sqlite").execute("SELECT stats FROM scans").fetchone()[0])
    print(f"corpus built in {built:.1f} s; scan exit code {child.code} in {child.seconds:.1f} s, "
          f"peak RSS {child.rss_mb:.0f} MB")
    print(f"{stats['items']} items: {stats['analysed']} analysed, {stats['skipped']} skipped, "
          f"{stats['could_not_inspect']} could not inspect")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
