"""Older formats people keep: RTF, old Excel (.xls), and old Word (.doc) through
LibreOffice or antiword when installed.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scanner.extract import CouldNotInspect, damaged, encrypted, extractor
from scanner.extract.text import decode_text, table_rows
from scanner.model import Blob, Content, Segment

CONVERT_SECONDS = 120  # LibreOffice or antiword, for one old Word file


def rtf_to_text(rtf: str) -> str:
    """The text of an RTF document (also Outlook's RTF message bodies)."""
    from striprtf.striprtf import rtf_to_text as strip

    return strip(rtf, errors="ignore")


@extractor(".rtf")
def extract_rtf(blob: Blob) -> Content:
    with blob.open() as f:
        return Content(segments=[Segment(rtf_to_text(decode_text(f.read())), numbered_lines=True)])


@extractor(".xls")
def extract_xls(blob: Blob) -> Content:
    """Old Excel workbooks (97–2003) with xlrd; cells named like `Ark1!C7`."""
    import xlrd
    from openpyxl.utils import get_column_letter

    with blob.open() as f:
        data = f.read()
    if not data:
        raise CouldNotInspect("empty file (0 bytes)")
    try:
        # logfile: xlrd binds stdout when it is imported; the scan catches what it prints (scanner/run/quiet.py)
        book = xlrd.open_workbook(file_contents=data, logfile=sys.stdout, ignore_workbook_corruption=True)
    except Exception as exc:  # xlrd raises XLRDError, BadZipFile, struct and index errors on garbage
        if "encrypt" in str(exc).lower():
            raise encrypted("Excel (.xls) file") from exc
        raise damaged("an Excel (.xls)", str(exc)) from exc
    segments: list[Segment] = []
    for sheet in book.sheets():
        rows = (sheet.row_values(r) for r in range(sheet.nrows))
        segments += table_rows(rows, lambda r, c, s=sheet.name: f"{s}!{get_column_letter(c)}{r}")
    return Content(segments=segments)


def _doc_to_text_with_libreoffice(office: str, source: Path) -> str:
    tmp = source.parent
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                    "txt:Text (encoded):UTF8", "--outdir", str(tmp), str(source)],
                   capture_output=True, timeout=CONVERT_SECONDS, check=True)
    return (tmp / "document.txt").read_text(encoding="utf-8-sig")


def _doc_to_text_with_antiword(antiword: str, source: Path) -> str:
    run = subprocess.run([antiword, "-m", "UTF-8.txt", "-w", "0", str(source)],
                         capture_output=True, timeout=CONVERT_SECONDS, check=True)
    return run.stdout.decode("utf-8", errors="replace")


@extractor(".doc")
def extract_doc(blob: Blob) -> Content:
    """Old Word documents (97–2003) as text: LibreOffice headless when installed, else antiword."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    antiword = shutil.which("antiword")
    if office is None and antiword is None:
        raise CouldNotInspect("old Word (.doc) files need LibreOffice or antiword "
                              "(apt-get install antiword, or libreoffice-writer-nogui)")
    tool = "LibreOffice" if office else "antiword"
    with tempfile.TemporaryDirectory(prefix="datakort-") as tmp:
        source = Path(tmp) / "document.doc"
        with blob.open() as f:
            source.write_bytes(f.read())
        try:
            text = (_doc_to_text_with_libreoffice(office, source) if office
                    else _doc_to_text_with_antiword(antiword, source))
        except subprocess.TimeoutExpired as exc:
            raise CouldNotInspect(f"{tool} took more than {CONVERT_SECONDS} s to read it") from exc
        except subprocess.CalledProcessError as exc:
            said = (exc.stderr or b"").decode("utf-8", errors="replace").replace(str(source), blob.name)
            reason = said.strip().splitlines()[-1] if said.strip() else f"exit code {exc.returncode}"
            if "encrypt" in reason.lower() or "password" in reason.lower():
                raise encrypted("Word (.doc) file") from exc
            raise CouldNotInspect(f"{tool} could not read it (damaged?): {reason}") from exc
        except OSError as exc:
            raise CouldNotInspect(f"{tool} could not read it: {exc}") from exc
    return Content(segments=[Segment(text, numbered_lines=True)])
