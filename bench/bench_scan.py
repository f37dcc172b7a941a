"""Benchmark: scan speed, memory and rescan time on big generated shares, against a naive baseline.

Shares (generated once into --workdir, reused on the next run):
- mixed-N: N files in folders of 100: .docx, .xlsx, .pdf, .msg, .eml, .txt, .csv with Danish
  names, CPR numbers, addresses, phones and e-mails (the sample generator's writers), each listing
  a number of people drawn so that text lengths spread as on a real share (`records_per_file`),
  and .png/.jpg images (read for faces, no OCR);
- tiny-N: the same, every file listing 1 to 4 people (all texts under 1 KB);
- small-N: N small text files (one contact each) in folders of 1 000;
- big-N: one text file of N MB (the memory bound for one big file);
- mailbox-N: one mbox of N messages (the memory and time bound for one big container).

For each share: a first scan (`run_scan`, worker processes) with files/s, MB/s and peak
memory of the scanner and its workers (sum of PSS, sampled every 0.25 s), then a rescan with
nothing changed. With --naive, the naive baseline reads each file of a mixed or tiny share with the same
extractors, joins its text and calls Presidio's `AnalyzerEngine.analyze` once on it,
sequentially, and runs the same face detector on each picture file; it times the text files and
the pictures apart, and the text files by the length of their text. It is compared at equal work
and equal findings twice: on the text part (datakort scanning mixed-N-text, the same share
without its pictures, hard links) and on the whole share.

Usage:
  .venv/bin/python bench/bench_scan.py --mixed 1000 --mixed 10000 --tiny 10000 --small 100000 --big 30 \
      --mailbox 100000 --naive --baseline stock --baseline tuned
  .venv/bin/python bench/bench_scan.py --mixed 10000 --naive --baseline stock --baseline tuned
  .venv/bin/python bench/bench_scan.py --mixed 200 --naive      # a quick look
Outputs (not committed) go to --workdir (default /tmp/datakort-bench).
"""
from __future__ import annotations

import argparse
from email.message import EmailMessage
import importlib.util
import json
import math
import os
import random
import sys
import threading
import time
from functools import partial
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from detectors.detector import LANGUAGE, Detector, build_analyzer  # noqa: E402
from detectors.images.faces import find_faces  # noqa: E402
from detectors.images.analysis import ImageSettings  # noqa: E402
from bench.stock import stock_analyzer  # noqa: E402
from scanner.sources.local import crawl  # noqa: E402
from scanner.extract import CouldNotInspect, extractor_for  # noqa: E402
from scanner.model import expand  # noqa: E402
from scanner.run.runner import ScanOptions, run_scan  # noqa: E402
from scanner.store import Store  # noqa: E402

KEY = b"b" * 32
KINDS = ("docx", "xlsx", "pdf", "msg", "eml", "txt", "csv", "png", "jpg")
PICTURES = (".png", ".jpg")
NO_OCR = ImageSettings(ocr=False)  # images are read (faces) but not OCR'd


def _sample_generator():
    spec = importlib.util.spec_from_file_location("sample_share", REPO / "samples" / "interket" / "make_share.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- shares ----------------------------------------------------------------------------

RECORDS_MEDIAN, RECORDS_SIGMA, RECORDS_MAX = 4, 1.5, 2000


def records_per_file(rng: random.Random, sizes: str) -> int:
    """How many people one file of a share lists.

    "spread" (the mixed-N shares): log-normal, median 4 and sigma 1.5, at most 2 000: half the
    files list 4 people or fewer (under 1 KB of text), one in ten 27 or more (~5 KB), one in
    a hundred 130 or more (~25 KB: a staff list, a customer export) — text lengths spread over
    three orders of magnitude, as on a real share. "tiny" (the tiny-N shares): 1 to 4, every
    file under 1 KB of text, the shape of the first benchmark kept for comparison."""
    if sizes == "tiny":
        return rng.randint(1, 4)
    return min(RECORDS_MAX, max(1, round(RECORDS_MEDIAN * math.exp(rng.gauss(0, RECORDS_SIGMA)))))


def make_mixed(root: Path, n: int, sizes: str = "spread") -> None:
    """`n` mixed files with personal data, written with the sample share's writers; each file
    lists `records_per_file` people (an employee and a customer contact each)."""
    gen = _sample_generator()
    rng = random.Random(n)
    people = gen.People(rng)
    from aspose.email_foss.msg import MapiMessage
    from PIL import Image
    when = datetime(2024, 5, 1, tzinfo=timezone.utc)
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        path = root / f"afd{i // 100:04d}" / f"fil{i:06d}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in PICTURES:
            Image.new("RGB", (320, 200), (rng.randrange(256), 90, 140)).save(path)
            continue
        pairs = [(people.employee(), people.contact("Horsens Bryghus ApS"))
                 for _ in range(records_per_file(rng, sizes))]
        lines = [line for a, b in pairs for line in (
            f"Medarbejder: {a['name']}, CPR-nr.: {a['cpr']}, {a['address']}",
            f"Kontakt: {b['name']} ({b['title']}), tlf. {b['phone']}, {b['email']}",
            f"Ordre {rng.randrange(10_000, 99_999)}: {rng.choice(gen.PRODUCTS)}")]
        if kind == "docx":
            gen.write_docx(path, lines, when, table=[["Navn", "CPR"]] + [[a["name"], a["cpr"]] for a, _ in pairs[:20]])
        elif kind == "xlsx":
            gen.write_xlsx(path, {"Ark1": [["Navn", "CPR", "Telefon"]] + [
                row for a, b in pairs for row in ([a["name"], a["cpr"], b["phone"]], [b["name"], "", b["email"]])]})
        elif kind == "pdf":
            gen.write_pdf(path, "Ordrebekraeftelse", [line.encode("latin-1", "replace").decode("latin-1")
                                                       for line in lines], when)
        elif kind in ("eml", "msg"):
            mail = EmailMessage()
            mail["From"], mail["To"], mail["Subject"] = pairs[0][1]["email"], "salg@interket.dk", "Ordre"
            mail["Date"] = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
            mail.set_content("\n".join(lines) + "\n")
            if kind == "eml":
                path.write_bytes(mail.as_bytes())
            else:
                MapiMessage.from_email_message(mail).save(path)
        elif kind == "csv":
            gen.write_text(path, "navn;cpr;telefon\n" + "".join(f"{a['name']};{a['cpr']};{b['phone']}\n" for a, b in pairs))
        else:
            gen.write_text(path, "\n".join(lines) + "\n")


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


def make_mailbox(root: Path, n: int) -> None:
    """One mbox file of `n` short order mails (a name, a phone number and an e-mail address
    each): the memory and time bound for one big container."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(n)
    with open(root / "Indbakke.mbox", "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(f"From kunde{i}@firma.dk Mon Mar  4 12:01:00 2019\n"
                    f"From: Kunde {i} <kunde{i}@firma.dk>\nTo: salg@interket.dk\nSubject: Ordre {i}\n"
                    "Date: Mon, 04 Mar 2019 12:01:00 +0000\nContent-Type: text/plain; charset=utf-8\n\n"
                    f"Hej Lene\n\nVi vil gerne bestille 100 etiketter. Ring på tlf. 20 {rng.randrange(10, 99)} "
                    f"{rng.randrange(10, 99)} 56.\n\nVenlig hilsen\nMette Hansen\n\n")


def text_part(mixed: Path, root: Path) -> None:
    """The mixed share without its pictures: hard links to its other files."""
    for path in mixed.rglob("*"):
        if path.is_file() and path.suffix not in PICTURES:
            target = root / path.relative_to(mixed)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)


MAKERS = {"mixed": make_mixed, "tiny": partial(make_mixed, sizes="tiny"), "small": make_small, "big": make_big,
          "mailbox": make_mailbox}


def share(workdir: Path, kind: str, n: int) -> Path:
    """The share `kind`-`n` in `workdir`, generated on first use (`kind`-text: without pictures)."""
    root = workdir / f"{kind}-{n}"
    done = workdir / f"{kind}-{n}.complete"
    if not done.exists():
        started = time.monotonic()
        if kind.endswith("-text"):
            text_part(share(workdir, kind.removesuffix("-text"), n), root)
        else:
            MAKERS[kind](root, n)
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


TEXT_SIZES = ((1_000, "< 1 KB"), (10_000, "1-10 KB"), (100_000, "10-100 KB"), (float("inf"), ">= 100 KB"))


def bench_naive(root: Path, analyzer_kind: str = "stock") -> dict:
    """The obvious approach, one file at a time: datakort's extractors (the same text, so the
    same findings), the whole text to `AnalyzerEngine.analyze` once; the same face detector on
    each picture file (timed apart). `analyzer_kind` "stock": Presidio as it comes
    (`stock_analyzer`); "tuned": datakort's own engine (`build_analyzer`) without chunking,
    packing or parallel workers, to show what those alone bring. Also times the text files
    by the length of their text (`by_text_size`)."""
    from PIL import Image
    analyzer = stock_analyzer() if analyzer_kind == "stock" else build_analyzer()
    seconds = {"text": 0.0, "pictures": 0.0}
    files, faces, by_entity = 0, 0, {}
    by_size = {label: {"files": 0, "seconds": 0.0} for _, label in TEXT_SIZES}
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
            text = "\n".join(s.text for s in expand(extract(crawled.blob).segments)) if extract else ""
        except CouldNotInspect:
            text = ""
        for r in analyzer.analyze(text, language=LANGUAGE, score_threshold=0.5):
            by_entity[r.entity_type] = by_entity.get(r.entity_type, 0) + 1
        took = time.monotonic() - started
        seconds["text"] += took
        size = by_size[next(label for limit, label in TEXT_SIZES if len(text) < limit)]
        size["files"] += 1
        size["seconds"] += took
    total = sum(seconds.values())
    return {"share": root.name, "baseline": analyzer_kind, "files": files, "seconds": round(total, 1),
            "files_per_s": round(files / total, 1), "text_seconds": round(seconds["text"], 1),
            "picture_seconds": round(seconds["pictures"], 1), "findings": sum(by_entity.values()),
            "by_entity": by_entity, "faces": faces,
            "by_text_size": {label: {"files": v["files"], "seconds": round(v["seconds"], 1)} for label, v in by_size.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mixed", type=int, action="append", default=[],
                        help="scan a mixed share of N files (text lengths spread, see records_per_file)")
    parser.add_argument("--tiny", type=int, action="append", default=[],
                        help="scan a mixed share of N files whose texts are all under 1 KB")
    parser.add_argument("--small", type=int, action="append", default=[], help="scan a tree of N small files")
    parser.add_argument("--big", type=int, action="append", default=[], help="scan one text file of N MB")
    parser.add_argument("--mailbox", type=int, action="append", default=[], help="scan one mbox of N messages")
    parser.add_argument("--naive", action="store_true",
                        help="also run the naive baseline over each mixed and tiny share scanned")
    parser.add_argument("--baseline", choices=("stock", "tuned"), action="append",
                        help="the baseline's analyser: Presidio as it comes (stock, the default) and/or "
                             "datakort's engine without chunking or workers (tuned)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/datakort-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = []

    def record(row: dict) -> dict:
        rows.append(row)
        print(json.dumps(row), flush=True)
        return row

    for kind, sizes in (("mixed", args.mixed), ("tiny", args.tiny), ("small", args.small), ("big", args.big),
                        ("mailbox", args.mailbox)):
        for n in sizes:
            whole = record(bench_scan(share(args.workdir, kind, n), args.workdir, args.workers))
            if not args.naive or kind not in ("mixed", "tiny"):
                continue
            text = record(bench_scan(share(args.workdir, f"{kind}-text", n), args.workdir, args.workers))
            for analyzer_kind in args.baseline or ["stock"]:
                naive = bench_naive(share(args.workdir, kind, n), analyzer_kind)
                naive["same_text_findings"] = naive["by_entity"] == text["by_entity"]
                naive["text_ratio"] = round(naive["text_seconds"] / text["seconds"], 2)
                naive["whole_ratio"] = round(naive["seconds"] / whole["seconds"], 2)
                naive["our_picture_seconds"] = round(whole["seconds"] - text["seconds"], 1)
                record({"naive": True, **naive})
    (args.workdir / "results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
