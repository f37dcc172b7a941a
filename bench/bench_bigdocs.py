"""Benchmark: big structured files (a workbook, a PDF, an e-mail) read in parts, memory and time.

Files (generated at run time into --workdir, reused, never committed):
- kunder-N.xlsx: a contact list of N rows (number, name, phone, e-mail, address), written with
  openpyxl (shared strings, as Excel writes them);
- rapport-N.pdf: N pages of 45 lines each, a contact line on every line (fpdf2);
- brev-N.eml: one e-mail whose plain-text body is N MB, a contact line in one line of 20;
- notat-N.docx: a Word document of N paragraphs, each a contact line (its body's XML written
  directly: python-docx takes minutes for this);
- kunder-N.ods: a LibreOffice spreadsheet of N contact rows (its content.xml written directly).

Two measures, each with the code of `--code` (this checkout by default; an export of an older
commit to compare, e.g. `git archive 9961bea | tar -x -C /tmp/base`):
- `extract`: the extractor alone in a child process: every segment taken, counted and dropped
  as detection does; its time, the characters read, and the child's peak RSS (ru_maxrss);
- `scan`: the whole scan with worker processes (bench/bench_bigfiles.py's `run`): the summed
  PSS/RSS of the scan sampled every 0.25 s, stopped after --seconds (detection of 20 MB of
  contact rows takes many minutes on one core); the findings stored by then show that the
  file's results are stored as they are read.

Usage:
  python -m bench.bench_bigdocs --kind xlsx --size 300000 --code /tmp/base --code .
  python -m bench.bench_bigdocs --kind pdf --size 2000 --measure scan --seconds 120
  python -m bench.bench_bigdocs --kind eml --size 100
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.bench_bigfiles import POOL, _person, run

REPO = Path(__file__).resolve().parents[1]


def make_file(workdir: Path, kind: str, size: int) -> Path:
    """The share (a folder holding the one file) for `kind` of `size` rows, pages or MB."""
    share = workdir / f"{kind}-{size}"
    share.mkdir(parents=True, exist_ok=True)
    path = share / {"xlsx": f"kunder-{size}.xlsx", "pdf": f"rapport-{size}.pdf", "eml": f"brev-{size}.eml",
                    "docx": f"notat-{size}.docx", "ods": f"kunder-{size}.ods"}[kind]
    if path.exists():
        return share
    rng = random.Random(size)
    people = [_person(rng, i) for i in range(POOL)]
    started = time.monotonic()
    partial = path.with_suffix(".part")
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Kunder")
        sheet.append(["Kundenr", "Navn", "Telefon", "E-mail", "Adresse"])
        for i in range(1, size + 1):
            sheet.append([i, *people[i % POOL]])
        book.save(partial)
    elif kind == "pdf":
        from fpdf import FPDF

        pdf = FPDF()
        pdf.set_font("Helvetica", size=9)
        for n in range(size):
            pdf.add_page()
            for line in range(45):
                name, phone, mail, _ = people[(n * 45 + line) % POOL]
                pdf.cell(0, 6, f"Side {n + 1} linje {line + 1}: {name}, tlf. {phone}, {mail}",
                         new_x="LMARGIN", new_y="NEXT")
        pdf.output(str(partial))
    elif kind == "docx":
        _write_docx(partial, size, people)
    elif kind == "ods":
        _write_ods(partial, size, people)
    else:
        with open(partial, "w", encoding="utf-8", newline="\n") as f:
            f.write("From: Mette Hansen <mette@firma.dk>\nTo: Lars Nielsen <lars@firma.dk>\n"
                    "Subject: Kundeliste\nDate: Thu, 26 Nov 2026 10:00:00 +0100\nMIME-Version: 1.0\n"
                    "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n")
            written, i = 0, 0
            while written < size * 2**20:
                block = []
                for _ in range(20000):
                    name, phone, mail, _ = people[i % POOL]
                    block.append(f"{i}: kontakt {name}, tlf. {phone}, {mail}\n" if i % 20 == 0
                                 else f"{i}: ordre afsendt, pakke {i % 977} af {i % 31 + 1}, intet nyt\n")
                    i += 1
                text = "".join(block)
                f.write(text)
                written += len(text.encode())
    partial.rename(path)
    print(f"generated {path} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return share


def _with_part_replaced(template: bytes, path: Path, part: str, chunks) -> None:
    """Write the package `template` to `path` with `part` replaced by the text `chunks` give, written
    as they come (a part of hundreds of MB never held whole)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(template)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info))
                continue
            with dst.open(part, "w", force_zip64=True) as f:
                for chunk in chunks:
                    f.write(chunk.encode())


def _write_docx(path: Path, paragraphs: int, people: list) -> None:
    """A Word file of `paragraphs` contact lines: python-docx's empty document, its body replaced."""
    import io

    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def body():
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{w}"><w:body>'
        for start in range(0, paragraphs, 10_000):
            yield "".join(f'<w:p><w:r><w:t xml:space="preserve">{i}: kontakt {people[i % POOL][0]}, tlf. '
                          f'{people[i % POOL][1]}, {people[i % POOL][2]}</w:t></w:r></w:p>'
                          for i in range(start, min(start + 10_000, paragraphs)))
        yield "<w:sectPr/></w:body></w:document>"

    _with_part_replaced(template.getvalue(), path, "word/document.xml", body())


def _write_ods(path: Path, rows: int, people: list) -> None:
    """A spreadsheet of `rows` contact rows: odfpy's empty spreadsheet, its content.xml replaced."""
    import io

    from odf.opendocument import OpenDocumentSpreadsheet

    template = io.BytesIO()
    OpenDocumentSpreadsheet().write(template)
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')

    def row(cells) -> str:
        return "<table:table-row>" + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>"
                                             for c in cells) + "</table:table-row>"

    def content():
        yield (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>'
               f'<office:spreadsheet><table:table table:name="Kunder">')
        yield row(["Kundenr", "Navn", "Telefon", "E-mail", "Adresse"])
        for start in range(1, rows + 1, 10_000):
            yield "".join(row([i, *people[i % POOL]]) for i in range(start, min(start + 10_000, rows + 1)))
        yield "</table:table></office:spreadsheet></office:body></office:document-content>"

    _with_part_replaced(template.getvalue(), path, "content.xml", content())


EXTRACT = """
import json, resource, sys, time
sys.path.insert(0, {code!r})
from scanner.extract import extractor_for
from scanner.sources.local import file_blob
blob = file_blob({path!r})
started = time.monotonic()
segments = chars = 0
first = None
try:
    content = extractor_for(blob)(blob)
    for segment in content.segments:
        segments += 1
        chars += segment.chars if hasattr(segment, "chars") else len(segment.text)  # TableRows: many rows
        if first is None:
            first = time.monotonic() - started
    outcome = "read"
except Exception as exc:
    outcome = f"{{type(exc).__name__}}: {{exc}}"
print(json.dumps({{"seconds": round(time.monotonic() - started, 1), "first_segment_after_s": first,
                  "segments": segments, "chars": chars, "outcome": outcome,
                  "peak_rss_MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}}))
"""


def extract_only(path: Path, code: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", EXTRACT.format(code=str(code), path=str(path))], cwd=code,
                         capture_output=True, text=True)
    if out.returncode != 0:
        return {"outcome": f"crashed: {out.stderr.strip().splitlines()[-1:]}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def stored(workdir: Path, share: Path, code: Path) -> dict:
    """What the scan's store holds of the file (also after the scan was stopped)."""
    db = workdir / f"{share.name}-{code.name}.sqlite"
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        findings = con.execute("SELECT COUNT(*) FROM findings f JOIN items i ON i.id = f.item_id").fetchone()[0]
        pending = con.execute("SELECT COUNT(*) FROM findings").fetchone()[0] - findings  # this version
        pending += con.execute("SELECT COUNT(*) FROM pending_findings").fetchone()[0]  # versions before
        items = con.execute("SELECT status, reason FROM items").fetchall()
        con.close()
    except sqlite3.Error as exc:
        return {"store": f"unreadable ({exc})"}
    return {"findings_stored": findings, "findings_pending": pending, "items_stored": [list(r) for r in items]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", choices=("xlsx", "pdf", "eml", "docx", "ods"), required=True)
    parser.add_argument("--size", type=int, required=True,
                        help="rows (xlsx, ods), pages (pdf), MB of body (eml) or paragraphs (docx)")
    parser.add_argument("--measure", choices=("extract", "scan", "both"), default="both")
    parser.add_argument("--code", type=Path, action="append", help="checkouts to compare (default: this one)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=120, help="stop the scan after this long (0: to the end)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/datakort-bigdocs"))
    args = parser.parse_args()
    share = make_file(args.workdir, args.kind, args.size)
    path = next(share.iterdir())
    for code in [c.resolve() for c in args.code or [REPO]]:
        row = {"file": path.name, "MB": round(path.stat().st_size / 2**20, 1), "code": str(code)}
        if args.measure in ("extract", "both"):
            row["extract"] = extract_only(path, code)
        if args.measure in ("scan", "both"):
            scan = run(share, code, args.workers, args.seconds, args.workdir)
            row["scan"] = {k: scan[k] for k in ("seconds", "finished", "peak_pss_MB", "peak_rss_sum_MB", "cores_busy",
                                                "load_before") if k in scan}
            row["scan"].update(stored(args.workdir, share, code))
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
