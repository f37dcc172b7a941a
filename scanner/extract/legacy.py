"""Older formats people keep: RTF, old Excel (.xls), old Word (.doc) and old PowerPoint (.ppt).

.doc and .ppt are read in Python by their published binary formats (olefile opens the OLE
container): a Word 97–2003 document through its piece table ([MS-DOC] FIB, CLX, PlcPcd), a
Word 6/95 one through its single run of text, a PowerPoint 97–2003 file through its text
atoms ([MS-PPT]). No apt step is needed; LibreOffice or antiword, when installed, are only
tried for a .doc the Python reader cannot read. docs/formats.md says why this reader.
"""
from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from scanner.extract import CouldNotInspect, damaged, encrypted, extractor
from scanner.extract.encoding import decode_text
from scanner.extract.text import table_rows
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


# --- Word 97-2003 (.doc) -----------------------------------------------------------------

# Word's control characters in the text stream: paragraph and cell ends, breaks, field marks.
_WORD_CONTROLS = str.maketrans({"\r": "\n", "\x07": "\t", "\x0b": "\n", "\x0c": "\n", "\x0e": "\n",
                                "\x1e": "-", "\x1f": None, "\x01": None, "\x08": None, "\x05": None,
                                "\x02": None, "\x03": None, "\x04": None})
_FIELD_CODE = re.compile("\x13[^\x13\x14\x15]*\x14|\x13[^\x13\x14\x15]*\x15|[\x14\x15]")  # codes out, results kept
FIB_CCP_TEXT = 0x4C   # FibRgLw97: ccpText, then ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx
CLX_PAIR = 33         # FibRgFcLcb97: (fcClx, lcbClx) is pair 33


class _NotWord(Exception):
    """The bytes do not hold what the Word format promises (the reason says what)."""


def word_text(word: bytes, table: bytes | None, n_fib: int) -> str:
    """The text of a Word document's main stream (`word`) through the piece table in its table
    stream: body, footnotes, headers, comments, end notes and text boxes, in that order."""
    if n_fib < 0x65:  # Word 6/95: one run of 8-bit text from fcMin to fcMac
        fc_min, fc_mac = struct.unpack_from("<II", word, 0x18)
        return word[fc_min:fc_mac].decode("cp1252", errors="replace")
    ccps = struct.unpack_from("<8i", word, FIB_CCP_TEXT)
    csw = struct.unpack_from("<H", word, 32)[0]
    cslw = struct.unpack_from("<H", word, 34 + csw * 2)[0]
    fc_lcb = 34 + csw * 2 + 2 + cslw * 4 + 2
    fc_clx, lcb_clx = struct.unpack_from("<II", word, fc_lcb + CLX_PAIR * 8)
    if table is None or lcb_clx == 0 or fc_clx + lcb_clx > len(table):
        raise _NotWord("no piece table")
    clx, i = table[fc_clx:fc_clx + lcb_clx], 0
    while i < len(clx) and clx[i] == 1:  # Prc: formatting, skipped
        i += 3 + struct.unpack_from("<h", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 2:
        raise _NotWord("the piece table is damaged")
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5:i + 5 + lcb]
    n = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    wanted = sum(c for c in ccps if c > 0) + (1 if any(c > 0 for c in ccps[1:]) else 0)
    pieces = []
    for k in range(n):
        fc = struct.unpack_from("<I", plc, (n + 1) * 4 + k * 8 + 2)[0]
        chars = min(cps[k + 1], wanted) - cps[k]
        if chars <= 0:
            break
        if fc & 0x40000000:  # 8-bit text at half the offset
            start = (fc & 0x3FFFFFFF) // 2
            pieces.append(word[start:start + chars].decode("cp1252", errors="replace"))
        else:
            pieces.append(word[fc:fc + 2 * chars].decode("utf-16-le", errors="replace"))
    return "".join(pieces)


def clean_word_text(text: str) -> str:
    """Word's text with its field codes, object marks and control characters out."""
    return _FIELD_CODE.sub("", text).translate(_WORD_CONTROLS)


def read_doc(data: bytes) -> str:
    """The text of an old Word file (97–2003, or 6/95), or `_NotWord`/`CouldNotInspect`."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))  # bytes: a short one would be taken for a file name
    except OSError as exc:
        raise _NotWord(f"not an OLE file: {exc}") from exc
    if not ole.exists("WordDocument"):
        raise _NotWord("no WordDocument stream")
    word = ole.openstream("WordDocument").read()
    if len(word) < 0x200:
        raise _NotWord("the WordDocument stream is too short")
    ident, n_fib, _, _, _, flags = struct.unpack_from("<HHHHHH", word, 0)
    if ident != 0xA5EC:
        raise _NotWord("no Word file header")
    if flags & 0x0100:
        raise encrypted("Word (.doc) file")
    name = "1Table" if flags & 0x0200 else "0Table"
    table = ole.openstream(name).read() if ole.exists(name) else None
    try:
        return clean_word_text(word_text(word, table, n_fib))
    except struct.error as exc:
        raise _NotWord(f"a field points outside its stream ({exc})") from exc


# --- PowerPoint 97-2003 (.ppt) ---------------------------------------------------------

TEXT_CHARS_ATOM, TEXT_BYTES_ATOM = 0x0FA0, 0x0FA8  # [MS-PPT] records holding a text's characters


def ppt_texts(stream: bytes) -> list[str]:
    """Every distinct text of a PowerPoint document stream, in stream order. Records are walked
    flat (a container's body is its child records); a slide's text stored twice (the slide list
    and the drawing) is kept once."""
    texts: dict[str, None] = {}
    i = 0
    while i + 8 <= len(stream):
        ver_instance, kind, length = struct.unpack_from("<HHI", stream, i)
        if ver_instance & 0x000F == 0x000F:  # a container: its children follow
            i += 8
            continue
        body = stream[i + 8:i + 8 + length]
        if kind == TEXT_CHARS_ATOM:
            texts[body.decode("utf-16-le", errors="replace")] = None
        elif kind == TEXT_BYTES_ATOM:
            texts[body.decode("cp1252", errors="replace")] = None
        i += 8 + length
    return [t.replace("\r", "\n").replace("\x0b", "\n") for t in texts if t.strip()]


@extractor(".ppt", ".pps", ".pot")
def extract_ppt(blob: Blob) -> Content:
    """Old PowerPoint presentations (97–2003): the text of slides and notes, a segment a text box."""
    import olefile

    with blob.open() as f:
        data = f.read()
    if not data:
        raise CouldNotInspect("empty file (0 bytes)")
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))  # bytes: a short one would be taken for a file name
    except OSError as exc:
        raise damaged("a PowerPoint (.ppt)", str(exc)) from exc
    if ole.exists("EncryptedSummary") or ole.exists("encryption"):
        raise encrypted("PowerPoint (.ppt) file")
    if not ole.exists("PowerPoint Document"):
        raise damaged("a PowerPoint (.ppt)", "no PowerPoint Document stream")
    texts = ppt_texts(ole.openstream("PowerPoint Document").read())
    return Content(segments=[Segment(t, f"text {n}", numbered_lines=True) for n, t in enumerate(texts, start=1)])


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


@extractor(".doc", ".dot")
def extract_doc(blob: Blob) -> Content:
    """Old Word documents (97–2003, 6/95) as text, read in Python (`read_doc`); a file it
    cannot read goes to LibreOffice or antiword when one is installed."""
    with blob.open() as f:
        data = f.read()
    if not data:
        raise CouldNotInspect("empty file (0 bytes)")
    try:
        return Content(segments=[Segment(read_doc(data), numbered_lines=True)])
    except _NotWord as exc:
        problem = str(exc)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    antiword = shutil.which("antiword")
    if office is None and antiword is None:
        raise damaged("an old Word (.doc)", problem)
    tool = "LibreOffice" if office else "antiword"
    with tempfile.TemporaryDirectory(prefix="datakort-") as tmp:
        source = Path(tmp) / "document.doc"
        source.write_bytes(data)
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
