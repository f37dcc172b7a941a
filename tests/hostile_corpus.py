"""A corpus of hostile and broken input, generated on the spot, and a scan of it in a child process.

`build_corpus(root)` writes every case the issue lists (corrupt and truncated documents,
zip bombs, a 10 GB sparse file, deep folders, a symlink loop, non-UTF-8 names, long paths,
empty files, wrong extensions, malformed mail, a workbook of more rows than the limit) and returns what a
user would expect of each: `EXPECT[location] = (statuses allowed, words the reason must hold)`.
`scan_in_child` runs `datakort scan` in a child process and reports its exit code, peak
memory (RSS) and time, so the tests can hold the scan to bounds.
"""
from __future__ import annotations

import io
import os
import random
import stat
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from tests.conftest import DEMO_DATE, REPO, SAMPLE_DIR, load_sample_generator

ANALYSED, SKIPPED, FAILED = "analysed", "skipped", "could_not_inspect"
ANY = (ANALYSED, SKIPPED, FAILED)   # a type this version may or may not read: either way, with a reason
NOT_READ = (SKIPPED, FAILED)
WHEN = datetime(2024, 3, 4, 12, 0, tzinfo=timezone.utc)
SPARSE_SIZE = 10 * 1024 ** 3
TOO_MANY_ROWS = 2_200_000  # over the limit of rows per workbook (scanner/extract/office.py, MAX_ROWS)
DEEP = 120                        # folders below each other (a path of about 600 characters)
PATH_MAX = os.pathconf("/", "PC_PATH_MAX") if hasattr(os, "pathconf") else 4096


def cpr_line() -> tuple[str, str]:
    """A line with a valid (synthetic) CPR number in context, and the number."""
    generator = load_sample_generator()
    cpr = generator.cpr_number(random.Random(9), datetime(1985, 6, 15).date())
    return f"Kunde: Jens Hansen, CPR-nummer {cpr}\n", cpr


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _big_xlsx(path: Path, rows: int = TOO_MANY_ROWS) -> None:
    """A real .xlsx with `rows` rows, its sheet XML written directly (openpyxl takes ~20 s for this)."""
    import openpyxl
    template = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.title = "Log"
    workbook.active["A1"] = "id"
    workbook.save(template)
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info))
                continue
            with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
                            b'spreadsheetml/2006/main"><sheetData>')
                for start in range(1, rows + 1, 50_000):
                    sheet.write("".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'
                                        for r in range(start, min(start + 50_000, rows + 1))).encode())
                sheet.write(b"</sheetData></worksheet>")


def _nested_zip(levels: int, inner: bytes) -> bytes:
    data = _zip_bytes({"bomb.txt": inner})
    for level in range(levels):
        data = _zip_bytes({f"level{level}.zip": data})
    return data


def _make_deeper_than_path_max(root: Path) -> None:
    """Folders nested past PATH_MAX, a file at the bottom (made with directory descriptors, as no path can name them)."""
    name = "d" * 200
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    levels = PATH_MAX // (len(name) + 1) + 2
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        file_fd = os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(file_fd, b"nothing here")
        os.close(file_fd)
    finally:
        os.close(fd)


def build_corpus(root: Path) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Write the hostile corpus under `root`; returns {location: (allowed statuses, words in the reason)}."""
    generator = load_sample_generator()
    line, _ = cpr_line()
    expect: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def put(location: str, data: bytes, statuses=(FAILED,), words: tuple[str, ...] = ()) -> Path:
        path = root / location
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expect[location] = (statuses, words)
        return path

    good = root.parent / "good"
    good.mkdir(exist_ok=True)
    generator.write_docx(good / "g.docx", ["Kundekort", line], WHEN)
    generator.write_xlsx(good / "g.xlsx", {"Kunder": [["Navn", "CPR"], ["Jens Hansen", line.split()[-1]]]})
    generator.write_pdf(good / "g.pdf", "Kundekort", [line.strip()], WHEN)
    docx, xlsx, pdf = ((good / f"g.{s}").read_bytes() for s in ("docx", "xlsx", "pdf"))
    zipped = _zip_bytes({"kunder.txt": line.encode()})

    # corrupt and truncated documents
    put("Korrupt/halv.docx", docx[: len(docx) // 2], words=("damaged",))
    put("Korrupt/halv.xlsx", xlsx[: len(xlsx) // 2], words=("damaged",))
    put("Korrupt/halv.pdf", pdf[: len(pdf) // 2], (ANALYSED, FAILED))
    put("Korrupt/støj.docx", random.Random(1).randbytes(5000), words=("damaged",))
    put("Korrupt/støj.pdf", b"%PDF-1.7\n" + random.Random(2).randbytes(5000), words=("damaged",))
    put("Korrupt/halv.zip", zipped[: len(zipped) // 2], NOT_READ)
    put("Korrupt/halv.msg", bytes.fromhex("d0cf11e0a1b11ae1") + random.Random(3).randbytes(3000), NOT_READ)
    put("Korrupt/halv.pst", b"!BDN" + random.Random(4).randbytes(3000), NOT_READ)
    # wrong extensions: the first bytes tell the real type (scanner/extract sniffs it), so they are read
    put("Forkert/faktura.docx", pdf, (ANALYSED,))
    put("Forkert/arkiv.xlsx", zipped, (ANALYSED,))
    put("Forkert/billede.jpg", docx, (ANALYSED,))
    put("Forkert/brev.pdf", line.encode(), words=("not really a PDF",))
    # zip bombs: one member of 50 MB zeros (ratio about 1000:1) inside a Word document, and nested zips
    bomb = _zip_bytes({**{i.filename: zipfile.ZipFile(io.BytesIO(docx)).read(i) for i in zipfile.ZipFile(io.BytesIO(docx)).infolist()},
                       "word/media/image1.bin": bytes(50 * 1024 * 1024)})
    put("Bomber/bombe.docx", bomb, words=("zip bomb",))
    put("Bomber/bombe.xlsx", _zip_bytes({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": bytes(50 * 1024 * 1024)}),
        words=("zip bomb",))
    # the outer zip is opened; the nesting stops at the depth limit (a could-not-inspect member inside)
    put("Bomber/indlejret.zip", _nested_zip(12, bytes(20 * 1024 * 1024)), (ANALYSED,))
    # a 10 GB sparse text file: must not be read whole (text has no size limit: its NUL bytes stop it)
    sparse = root / "Stor/sparse.txt"
    sparse.parent.mkdir(parents=True)
    with open(sparse, "wb") as f:
        f.truncate(SPARSE_SIZE)
    expect["Stor/sparse.txt"] = ((FAILED,), ("not text", "NUL bytes", "10.0 GB"))
    for suffix, words in ((".jpg", "too large"), (".pdf", "too large"), (".csv", "not text"), (".docx", "damaged")):
        with open(root / f"Stor/sparse{suffix}", "wb") as f:  # the same under types read whole or by a library
            f.truncate(SPARSE_SIZE)
        expect[f"Stor/sparse{suffix}"] = ((FAILED,), (words,))
    # a workbook with more rows than the limit (2.2 million: a million-row sheet is read)
    _big_xlsx(root / "Stor/rows.xlsx")
    expect["Stor/rows.xlsx"] = ((FAILED,), ("too large", "rows"))
    # empty files
    for suffix in (".txt", ".csv", ".docx", ".xlsx", ".pdf", ".jpg"):
        put(f"Tom/tom{suffix}", b"", (ANALYSED,))  # an empty file holds no personal data: nothing to report
    put("Tom/tom.eml", b"", ANY)
    # mails with malformed MIME and an unknown charset (read by a later version's mail extractor, or skipped)
    put("Post/brudt.eml", b"From: a@b\nSubject: =?x-ukendt-42?B?!!!?=\nContent-Type: multipart/mixed; boundary=\"zz\"\n\n"
        b"--zz\nContent-Type: text/plain; charset=x-ukendt-42\nContent-Transfer-Encoding: base64\n\n%%%not base64%%%\n"
        + line.encode("latin-1") + b"\n--zz", ANY)
    put("Post/brudt.mbox", b"From nobody\nContent-Type: multipart/alternative\n\n--\n" + random.Random(5).randbytes(500), ANY)
    # very deep folders, paths over 260 characters, and folders nested past PATH_MAX
    deep = "/".join(["dyb"] * DEEP) + "/kunder.txt"
    put(deep, line.encode(), (ANALYSED,))
    long = "/".join(["Kunder med et meget langt mappenavn som Windows ikke kan lide " + str(i) for i in range(4)])
    put(long + "/kunde.txt", line.encode(), (ANALYSED,))
    (root / "Dybere").mkdir()
    _make_deeper_than_path_max(root / "Dybere")  # checked by its own test: where the listing fails depends on root
    # a symbolic link loop, and a link out of the share
    (root / "Løkke").mkdir()
    os.symlink(".", root / "Løkke/mig")
    os.symlink("b", root / "Løkke/a")
    os.symlink("a", root / "Løkke/b")
    os.symlink("/etc", root / "Løkke/ud")
    for name in ("mig", "a", "b", "ud"):
        expect[f"Løkke/{name}"] = ((SKIPPED,), ("symbolic link",))
    # file names that are not UTF-8 (Latin-1 bytes, as an old Windows share gives them)
    bad_dir = os.path.join(os.fsencode(root), b"Navne", b"M\xf8der")
    os.makedirs(bad_dir)
    with open(os.path.join(bad_dir, b"kunde \xe6\xf8\xe5.txt"), "wb") as f:
        f.write(line.encode())
    expect["Navne/M\\xf8der/kunde \\xe6\\xf8\\xe5.txt"] = ((ANALYSED,), ())
    # a fifo is neither a file nor a folder
    os.mkfifo(root / "Tom/rør")
    expect["Tom/rør"] = ((SKIPPED,), ("not a regular file",))
    return expect


@dataclass
class ChildScan:
    code: int
    rss_mb: float
    seconds: float
    stderr: str
    stdout: str = ""


RSS_PROBE = ("import resource, sys\nfrom datakort.main import main\ncode = main(sys.argv[1:])\n"
             "print('RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(code)\n")


def scan_in_child(root: Path, work: Path, *extra: str, env: dict | None = None, user: str | None = None) -> ChildScan:
    """`datakort -v scan root` in a child process (as `user` via setpriv when given); its exit code, peak RSS, time."""
    command = [sys.executable, "-c", RSS_PROBE, "-v", "scan", str(root), "--register", str(SAMPLE_DIR / "register.yaml"),
               "--db", str(work / "store.sqlite"), "--out", str(work / "report"), "--as-of", DEMO_DATE.isoformat(),
               "--format", "html,json,csv,xlsx", *extra]
    if user:
        import pwd
        account = pwd.getpwnam(user)
        command = ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups", "--"] + command
    started = time.monotonic()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})
    seconds = time.monotonic() - started
    rss = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("RSS_KB ")]
    return ChildScan(done.returncode, rss[0] / 1024 if rss else float("nan"), seconds, done.stderr, done.stdout)


BIG = 100 * 1024 * 1024


def manifest(root: Path) -> dict[str, tuple[str, int, int]]:
    """{path: (sha256, size, mtime_ns)} of every file below root; files over 100 MB (the sparse one) hash their first MB."""
    import hashlib
    out = {}
    for dirpath, _, files in os.walk(os.fsencode(root)):
        for name in files:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):  # a fifo would block, a link is not followed
                continue
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read(1024 * 1024) if st.st_size > BIG else f.read()).hexdigest()
            out[os.fsdecode(path)] = (digest, st.st_size, st.st_mtime_ns)
    return out
