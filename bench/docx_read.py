"""Speed of reading Word files: milliseconds per .docx for `extract_docx` (text, dates, pictures,
embedded files listed), no detection.

Two sets: the .docx files of a generated share (bench/bench_scan.py --mixed 1000 writes them to
/tmp/datakort-bench/mixed-1000), and long documents written here with python-docx (N pages of
paragraphs and a table, a header and a footer). Each set is read three times; the best pass counts.

Usage: .venv/bin/python bench/docx_read.py [GLOB]   (default /tmp/datakort-bench/mixed-1000/*/*.docx)
"""
from __future__ import annotations

import glob
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanner.sources.local import file_blob  # noqa: E402
from scanner.extract.office import extract_docx  # noqa: E402

PASSES = 3
PARAGRAPHS_PER_PAGE = 12  # of about 60 words: a page of running text


def make_long_docx(path: Path, pages: int) -> None:
    """A report of `pages` pages: paragraphs, a table of 3 rows per page, a header and a footer."""
    import docx
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Interket A/S, fortroligt"
    d.sections[0].footer.paragraphs[0].text = "Interket A/S, tlf. 70 22 10 71"
    for n in range(pages * PARAGRAPHS_PER_PAGE):
        d.add_paragraph(f"Afsnit {n + 1}. Kunden Mette Hansen (mette{n}@firma.dk, tlf. 20 12 {n % 100:02d} 34) "
                        + "har bestilt etiketter til den nye produktlinje og ønsker levering i uge 12. " * 4)
    table = d.add_table(rows=0, cols=4)
    for n in range(pages * 3):
        for cell, value in zip(table.add_row().cells, (f"Kunde {n}", f"2012{n % 10000:04d}", "Aarhus", "aktiv")):
            cell.text = value
    d.save(path)


def best_ms_per_file(paths: list[str]) -> float:
    """The best of PASSES passes over `paths`, in milliseconds per file."""
    best = float("inf")
    for _ in range(PASSES):
        start = time.perf_counter()
        for path in paths:
            content = extract_docx(file_blob(path))
            list(content.children)
        best = min(best, time.perf_counter() - start)
    return best * 1000 / len(paths)


def report(label: str, paths: list[str]) -> None:
    size = sum(Path(p).stat().st_size for p in paths) / len(paths) / 1024
    print(f"{label:<28} {len(paths):5d} files  {size:7.1f} KiB each  {best_ms_per_file(paths):7.2f} ms/file", flush=True)


def main() -> None:
    pattern = sys.argv[1] if len(sys.argv) > 1 else "/tmp/datakort-bench/mixed-1000/*/*.docx"
    print(f"python {sys.version.split()[0]}; best of {PASSES} passes")
    share = sorted(glob.glob(pattern))
    if share:
        report("generated share", share)
    else:
        print(f"no files match {pattern} (run bench/bench_scan.py --mixed 1000 first)")
    with tempfile.TemporaryDirectory() as tmp:
        for pages in (20, 100):
            path = Path(tmp) / f"rapport-{pages}.docx"
            make_long_docx(path, pages)
            report(f"{pages}-page report", [str(path)])


if __name__ == "__main__":
    main()
