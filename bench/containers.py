"""Speed and memory of reading containers: a generated mbox, a zip of Word files, and the
real enron.pst when it is present ($DATAKORT_ENRON_PST, fetched by .ci/run).

Two numbers per container: `extract` walks every nested item and extracts its text
(no detection), `scan` is the full `inspect` with the Danish Presidio detector.
Peak memory (max RSS) is printed after the extract runs, so it shows whether children
are read lazily: a large mbox must not cost memory in proportion to its size.

Usage: .venv/bin/python bench/containers.py [MESSAGES] [--extract-only]   (default 5000)
"""
from __future__ import annotations

import io
import os
import resource
import sys
import tempfile
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanner.sources.local import file_blob  # noqa: E402
from scanner.extract import CouldNotInspect, extractor_for  # noqa: E402
from scanner.model import Blob, expand  # noqa: E402


def make_mbox(path: Path, messages: int) -> None:
    with open(path, "wb") as f:
        for n in range(messages):
            m = EmailMessage()
            m["From"] = f"Kunde {n} <kunde{n}@firma.dk>"
            m["To"] = "salg@interket.dk"
            m["Subject"] = f"Ordre {n}"
            m["Date"] = "Mon, 04 Mar 2019 12:01:00 +0000"
            m.set_content(f"Hej\n\nRing på 20 12 {n % 100:02d} 34 om ordre {n}.\n" + "Tekst i brødteksten. " * 40)
            f.write(b"From kunde@firma.dk Mon Mar  4 12:01:00 2019\n" + m.as_bytes() + b"\n")


def make_zip(path: Path, documents: int) -> None:
    import docx
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(documents):
            d = docx.Document()
            d.add_paragraph(f"Tilbud {n} til kunde{n}@firma.dk")
            out = io.BytesIO()
            d.save(out)
            z.writestr(f"tilbud/{n}.docx", out.getvalue())


def walk(blob: Blob) -> tuple[int, int]:
    """Extract `blob` and everything in it; returns (items, characters)."""
    extract = extractor_for(blob)
    if extract is None:
        return 1, 0
    try:
        content = extract(blob)
    except CouldNotInspect:
        return 1, 0
    items, chars = 1, sum(len(s.text) for s in expand(content.segments))
    for child in content.children:
        i, c = walk(child)
        items, chars = items + i, chars + c
    return items, chars


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, detector, extract_only: bool) -> None:
    from scanner.run.pipeline import iter_inspect
    blob = file_blob(str(path))
    started = time.perf_counter()
    items, chars = walk(blob)
    extract_s = time.perf_counter() - started
    rss = max_rss_mb()
    print(f"{path.name:16s} {path.stat().st_size / 1024**2:7.1f} MB {items:6d} items  "
          f"extract {extract_s:6.2f} s ({items / extract_s:6.0f} items/s)  max RSS {rss:5.0f} MB", end="", flush=True)
    if extract_only:
        print()
        return
    started = time.perf_counter()
    findings = sum(len(r.findings) for r in iter_inspect(blob, path.name, detector))
    scan_s = time.perf_counter() - started
    print(f"  scan {scan_s:6.2f} s ({items / scan_s:5.0f} items/s, {findings} findings)")


def main() -> None:
    from detectors.detector import Detector
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    messages = int(numbers[0]) if numbers else 5000
    extract_only = "--extract-only" in sys.argv
    detector = Detector(b"k" * 32)
    walk(Blob("warm-up.docx", 0, open=lambda: io.BytesIO(b"")))  # import the extractor modules first
    with tempfile.TemporaryDirectory() as tmp:
        mbox, archive = Path(tmp) / "arkiv.mbox", Path(tmp) / "tilbud.zip"
        make_mbox(mbox, messages)
        make_zip(archive, 200)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; max RSS after setup {max_rss_mb():.0f} MB")
        measure(mbox, detector, extract_only)
        measure(archive, detector, extract_only)
        enron = Path(os.environ.get("DATAKORT_ENRON_PST", Path.home() / ".cache/datakort/enron.pst"))
        if enron.is_file():
            measure(enron, detector, extract_only)


if __name__ == "__main__":
    main()
