"""Benchmark: scan speed, memory and rescan time on big generated shares, against a naive baseline.

Shares (generated once into --workdir, reused on the next run):
- mixed-N: N files in folders of 100: .docx, .xlsx, .pdf, .eml, .txt, .csv with Danish names,
  CPR numbers, phones and e-mails (the sample generator's writers), and .png/.jpg images
  (read for faces, no OCR); .msg is left out (no library here writes Outlook files);
- small-N: N small text files (one contact each) in folders of 1 000;
- big-N: one text file of N MB (the memory bound for one big file).

For each share: a first scan (`run_scan`, worker processes) with files/s, MB/s and peak
memory of the scanner and its workers (sum of PSS, sampled every 0.25 s), then a rescan with
nothing changed. The naive baseline reads each file of a mixed share with the same extractors,
joins its text and calls Presidio's `AnalyzerEngine.analyze` once on it, sequentially, and runs
the same face detector on each picture file; it times the text files and the pictures apart.
It is compared at equal work and equal findings twice: on the text part (datakort scanning
mixed-N-text, the same share without its pictures, hard links) and on the whole share.

Usage:
  .venv/bin/python bench/bench_scan.py --mixed 1000 --mixed 10000 --small 100000 --naive 10000
  .venv/bin/python bench/bench_scan.py --mixed 200 --naive 200      # a quick look
Outputs (not committed) go to --workdir (default /tmp/datakort-bench).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from detectors.engine import LANGUAGE, Detector, build_analyzer  # noqa: E402
from detectors.faces import find_faces  # noqa: E402
from detectors.images import ImageSettings  # noqa: E402
from scanner.crawl import crawl  # noqa: E402
from scanner.extract import CouldNotInspect, extractor_for  # noqa: E402
from scanner.runner import ScanOptions, run_scan  # noqa: E402
from scanner.store import Store  # noqa: E402

KEY = b"b" * 32
KINDS = ("docx", "xlsx", "pdf", "eml", "txt", "csv", "png", "jpg")
PICTURES = (".png", ".jpg")
NO_OCR = ImageSettings(ocr=False)  # images are read (faces) but not OCR'd


def _sample_generator():
    spec = importlib.util.spec_from_file_location("sample_share", REPO / "samples" / "interket" / "make_share.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- shares ----------------------------------------------------------------------------

def make_mixed(root: Path, n: int) -> None:
    """`n` mixed files with personal data, written with the sample share's writers."""
    gen = _sample_generator()
    rng = random.Random(n)
    people = gen.People(rng)
    from PIL import Image
    when = datetime(2024, 5, 1, tzinfo=timezone.utc)
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        path = root / f"afd{i // 100:04d}" / f"fil{i:06d}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        a, b = people.employee(), people.contact("Horsens Bryghus ApS")
        lines = [f"Medarbejder: {a['name']}, CPR-nr.: {a['cpr']}, {a['address']}",
                 f"Kontakt: {b['name']} ({b['title']}), tlf. {b['phone']}, {b['email']}",
                 f"Ordre {rng.randrange(10_000, 99_999)}: {rng.choice(gen.PRODUCTS)}"] * rng.randint(1, 4)
        if kind == "docx":
            gen.write_docx(path, lines, when, table=[["Navn", "CPR"], [a["name"], a["cpr"]]])
        elif kind == "xlsx":
            gen.write_xlsx(path, {"Ark1": [["Navn", "CPR", "Telefon"], [a["name"], a["cpr"], b["phone"]],
                                           [b["name"], "", b["email"]]]})
        elif kind == "pdf":
            gen.write_pdf(path, "Ordrebekraeftelse", [line.encode("latin-1", "replace").decode("latin-1")
                                                       for line in lines], when)
        elif kind == "eml":
            gen.write_text(path, f"From: {b['email']}\nTo: salg@interket.dk\nSubject: Ordre\n"
                                 "Content-Type: text/plain; charset=utf-8\n\n" + "\n".join(lines) + "\n")
        elif kind == "csv":
            gen.write_text(path, "navn;cpr;telefon\n" + f"{a['name']};{a['cpr']};{b['phone']}\n")
        elif kind == "txt":
            gen.write_text(path, "\n".join(lines) + "\n")
        else:
            Image.new("RGB", (320, 200), (rng.randrange(256), 90, 140)).save(path)


def make_small(root: Path, n: int) -> None:
    """`n` small text files, one contact each, in folders of 1 000."""
    for i in range(n):
        folder = root / f"mappe{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"note{i:06d}.txt").write_text(f"Ring til kunde {i} på tlf. 20 12 {i % 100:02d} 56\n")


def make_big(root: Path, mb: int) -> None:
    """One text file of `mb` MB (a contact line every 100 lines): the memory bound for one big file."""
    root.mkdir(parents=True, exist_ok=True)
    block = "".join(f"linje {i} uden noget særligt her, bare fyldtekst til at gøre filen stor\n" for i in range(99))
    block += "Kontakt: tlf. 20 12 34 56, mail kunde@firma.dk\n"
    with open(root / "stor.txt", "w", encoding="utf-8") as f:
        for _ in range(mb * 2**20 // len(block.encode())):
            f.write(block)


def text_part(mixed: Path, root: Path) -> None:
    """The mixed share without its pictures: hard links to its other files."""
    for path in mixed.rglob("*"):
        if path.is_file() and path.suffix not in PICTURES:
            target = root / path.relative_to(mixed)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)


def share(workdir: Path, kind: str, n: int) -> Path:
    root = workdir / f"{kind}-{n}"
    done = workdir / f"{kind}-{n}.complete"
    if not done.exists():
        started = time.monotonic()
        if kind == "mixed-text":
            text_part(share(workdir, "mixed", n), root)
        else:
            {"mixed": make_mixed, "small": make_small, "big": make_big}[kind](root, n)
        done.write_text("")
        print(f"generated {root} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return root


# --- measuring -------------------------------------------------------------------------

def _tree_pss_mb(pid: int) -> float:
    """Proportional memory of a process and its children (shared pages counted once in total)."""
    total, stack = 0.0, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in open(f"/proc/{p}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
                    break
            for task in os.listdir(f"/proc/{p}/task"):
                stack.extend(int(c) for c in open(f"/proc/{p}/task/{task}/children").read().split())
        except OSError:
            continue
    return total


class PeakMemory:
    """Samples the memory of this process and its workers in a thread; `peak_mb` after the block."""

    def __enter__(self):
        self.peak_mb, self._stop = 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.25):
            self.peak_mb = max(self.peak_mb, _tree_pss_mb(os.getpid()))

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def share_bytes(root: Path) -> int:
    return sum(c.size for c in crawl(root) if c.blob)


def bench_scan(root: Path, workdir: Path, workers: int) -> dict:
    db = workdir / f"{root.name}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    detector = Detector(KEY)
    store = Store(db)
    files = sum(1 for c in crawl(root) if c.blob)
    size = share_bytes(root)
    with PeakMemory() as mem:
        started = time.monotonic()
        _, stats = run_scan(root, store, detector, images=NO_OCR, options=ScanOptions(workers=workers))
        first = time.monotonic() - started
    started = time.monotonic()
    _, again = run_scan(root, store, detector, images=NO_OCR, options=ScanOptions(workers=workers))
    rescan = time.monotonic() - started
    store.close()
    assert again.findings == stats.findings and again.unchanged == files, "the rescan read files again"
    return {"share": root.name, "files": files, "MB": round(size / 2**20, 1), "workers": workers,
            "seconds": round(first, 1), "files_per_s": round(files / first, 1),
            "MB_per_s": round(size / 2**20 / first, 2), "peak_pss_MB": round(mem.peak_mb),
            "findings": stats.findings, "by_entity": stats.by_entity, "analysed": stats.analysed, "skipped": stats.skipped,
            "could_not_inspect": stats.could_not_inspect, "rescan_seconds": round(rescan, 2)}


def bench_naive(root: Path) -> dict:
    """The obvious approach, one file at a time: same extractors, the whole text to
    AnalyzerEngine.analyze once; the same face detector on each picture file (timed apart)."""
    from PIL import Image
    analyzer = build_analyzer()
    seconds = {"text": 0.0, "pictures": 0.0}
    files, faces, by_entity = 0, 0, {}
    for crawled in crawl(root):
        if crawled.blob is None:
            continue
        files += 1
        started = time.monotonic()
        if crawled.blob.suffix in PICTURES:
            with crawled.blob.open() as f:
                faces += len(find_faces(np.asarray(Image.open(f).convert("L"))))
            seconds["pictures"] += time.monotonic() - started
            continue
        extract = extractor_for(crawled.blob)
        try:
            text = "\n".join(s.text for s in extract(crawled.blob).segments) if extract else ""
        except CouldNotInspect:
            text = ""
        for r in analyzer.analyze(text, language=LANGUAGE, score_threshold=0.5):
            by_entity[r.entity_type] = by_entity.get(r.entity_type, 0) + 1
        seconds["text"] += time.monotonic() - started
    total = sum(seconds.values())
    return {"share": root.name, "files": files, "seconds": round(total, 1), "files_per_s": round(files / total, 1),
            "text_seconds": round(seconds["text"], 1), "picture_seconds": round(seconds["pictures"], 1),
            "findings": sum(by_entity.values()), "by_entity": by_entity, "faces": faces}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mixed", type=int, action="append", default=[], help="scan a mixed share of N files")
    parser.add_argument("--small", type=int, action="append", default=[], help="scan a tree of N small files")
    parser.add_argument("--big", type=int, action="append", default=[], help="scan one text file of N MB")
    parser.add_argument("--naive", type=int, action="append", default=[],
                        help="run the naive baseline over the mixed share of N files")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/datakort-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for kind, sizes in (("mixed", args.mixed), ("small", args.small), ("big", args.big)):
        for n in sizes:
            rows.append(bench_scan(share(args.workdir, kind, n), args.workdir, args.workers))
            print(json.dumps(rows[-1]), flush=True)
    for n in args.naive:
        text = bench_scan(share(args.workdir, "mixed-text", n), args.workdir, args.workers)
        rows.append(text)
        print(json.dumps(text), flush=True)
        naive = bench_naive(share(args.workdir, "mixed", n))
        naive["text_ratio"] = round(naive["text_seconds"] / text["seconds"], 2)
        naive["same_text_findings"] = naive["by_entity"] == text["by_entity"]
        whole = next((r for r in rows if r["share"] == naive["share"]), None)
        if whole:
            naive["whole_ratio"] = round(naive["seconds"] / whole["seconds"], 2)
            naive["our_picture_seconds"] = round(whole["seconds"] - text["seconds"], 1)
        rows.append({"naive": True, **naive})
        print(json.dumps(rows[-1]), flush=True)
    (args.workdir / "results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
