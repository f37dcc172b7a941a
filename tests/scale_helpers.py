"""Helpers for the scale tests (parallel, incremental, resume, SMB, Dask): a small share and a
comparable view of a scan's results."""
from __future__ import annotations

from pathlib import Path

from scanner.store import Store


def make_text_share(root: Path, n: int, per_folder: int = 25) -> list[Path]:
    """`n` text files with a CPR number, a phone number and an e-mail address each, in folders."""
    files = []
    for i in range(n):
        path = root / f"afd{i // per_folder:03d}" / f"kunde{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Kunde {i}\nCPR-nr.: 020290-1231\ntlf. 20 12 {i % 100:02d} 56\n"
                        f"mail: kunde{i}@firma.dk\n", encoding="utf-8")
        files.append(path)
    return files


def view(store: Store, scan_id: int) -> list[tuple]:
    """A scan's items and findings as plain tuples, in location order (what 'same findings' means)."""
    return [(r.location, r.parent, r.status, r.reason, r.size, r.mtime,
             [(f.entity_type, f.category, f.score, f.masked, f.value_hash, f.where) for f in r.findings])
            for r in store.results(scan_id)]
