"""Extractors by file type: each turns a Blob into Content (text segments, dates, children).

Add a format by writing a function `def extract_x(blob: Blob) -> Content` in a module of
this package and decorating it with `@extractor(".x", ".y")`. An extractor raises
`CouldNotInspect` with a reason a person can act on when the bytes cannot be read.
"""
from __future__ import annotations

import importlib
import re
import zipfile
from typing import Callable

from scanner.extract.encoding import looks_like_text
from scanner.model import Blob, Content

Extractor = Callable[[Blob], Content]

_EXTRACTORS: dict[str, Extractor] = {}
_MODULES = ("text", "office", "opendocument", "zipformats", "legacy", "pdf", "image", "archive", "mail", "msg", "pst")

# The first bytes of a file tell its family; a suffix from another family is not believed.
_MAGIC = ((b"%PDF", ".pdf"), (b"PK\x03\x04", ".zip"), (b"PK\x05\x06", ".zip"),
          (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b"!BDN", ".pst"), (b"{\\rtf", ".rtf"))
_ODF = {".odt", ".ods", ".odp", ".odg", ".ott", ".ots", ".otp", ".otg", ".sxw", ".sxc", ".sxi", ".sxd",
        ".stw", ".stc", ".sti", ".std"}
_WORD = {".docx", ".docm", ".dotx", ".dotm"}
_EXCEL = {".xlsx", ".xlsm", ".xltx", ".xltm"}
_POWERPOINT = {".pptx", ".pptm", ".potx", ".potm", ".ppsx", ".ppsm"}
_OTHER_ZIPS = {".xlsb", ".xps", ".oxps", ".epub", ".vsdx", ".vsdm", ".vstx", ".vstm", ".pages", ".numbers", ".key"}
_FAMILY = {".zip": {".zip"} | _WORD | _EXCEL | _POWERPOINT | _ODF | _OTHER_ZIPS,
           ".pdf": {".pdf"}, ".pst": {".pst", ".ost"}, ".rtf": {".rtf", ".doc"},
           "ole": {".msg", ".doc", ".xls", ".ppt"} | _WORD | _EXCEL | _POWERPOINT}
# a zip's type by a part inside it (names compared in lower case)
_ZIP_MAIN_PART = (("word/document.xml", ".docx"), ("xl/workbook.xml", ".xlsx"), ("ppt/presentation.xml", ".pptx"),
                  ("xl/workbook.bin", ".xlsb"), ("visio/document.xml", ".vsdx"), ("index/document.iwa", ".pages"))
# ...or by its `mimetype` member: OpenDocument, OpenOffice 1, EPUB
_MIMETYPES = {"application/vnd.oasis.opendocument.text": ".odt", "application/vnd.oasis.opendocument.spreadsheet": ".ods",
              "application/vnd.oasis.opendocument.presentation": ".odp", "application/vnd.oasis.opendocument.graphics": ".odg",
              "application/vnd.oasis.opendocument.text-template": ".ott",
              "application/vnd.oasis.opendocument.spreadsheet-template": ".ots",
              "application/vnd.oasis.opendocument.presentation-template": ".otp",
              "application/vnd.oasis.opendocument.graphics-template": ".otg",
              "application/vnd.sun.xml.writer": ".sxw", "application/vnd.sun.xml.calc": ".sxc",
              "application/vnd.sun.xml.impress": ".sxi", "application/vnd.sun.xml.draw": ".sxd",
              "application/epub+zip": ".epub"}
_OLE_STREAMS = (("__substg1.0_", ".msg"), ("WordDocument", ".doc"), ("Workbook", ".xls"), ("Book", ".xls"),
                ("PowerPoint Document", ".ppt"))
_MBOX_START = re.compile(rb"From \S+ [^\n]*\n[\x21-\x39\x3b-\x7e]+:")  # envelope line, then a header
# a mail as Maildir and many servers store it: no suffix, RFC 822 headers from the first byte
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:[ \t]?[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*", re.M)
_MAIL_HEADERS = {b"from", b"to", b"subject", b"date", b"message-id", b"received", b"return-path", b"mime-version"}


class CouldNotInspect(Exception):
    """The item exists but its content cannot be read; the message says why."""


def damaged(kind: str, detail: str) -> CouldNotInspect:
    """The one wording for bytes that are not a readable `kind` (with its article: "a PDF",
    "an Outlook .msg"): `damaged or not really a PDF file (detail)`."""
    return CouldNotInspect(f"damaged or not really {kind} file ({detail})")


def encrypted(kind: str) -> CouldNotInspect:
    """The one wording for a password-protected file: `encrypted PDF: it needs a password to open`."""
    return CouldNotInspect(f"encrypted {kind}: it needs a password to open")


def unreadable(reason: str) -> Callable[[], Content]:
    """A `Blob.content` for a nested item its container cannot hand out: inspecting it
    records `reason` as could-not-inspect."""

    def fail() -> Content:
        raise CouldNotInspect(reason)
    return fail


def extractor(*suffixes: str) -> Callable[[Extractor], Extractor]:
    """Register a function as the extractor for the given file suffixes."""

    def register(func: Extractor) -> Extractor:
        for suffix in suffixes:
            taken = _EXTRACTORS.get(suffix.lower())
            if taken is not None and taken is not func:
                raise ValueError(f"{suffix} is read by {taken.__module__}.{taken.__name__} already; "
                                 f"{func.__module__}.{func.__name__} cannot register it too")
            _EXTRACTORS[suffix.lower()] = func
        return func

    return register


_loaded: list[bool] = []


def _load_modules() -> None:
    """Import every extractor module once (one imported early on its own must not stop the rest)."""
    if not _loaded:
        for name in _MODULES:
            importlib.import_module(f"{__name__}.{name}")
        _loaded.append(True)


def _from_container(blob: Blob) -> Content:
    return blob.content()


def sniffed_suffix(blob: Blob) -> str:
    """The blob's suffix, corrected when its first bytes say it is something else.

    A zip renamed to .xlsx is read as a zip, a PDF named .docx as a PDF, an Outlook item
    named `attachment 1` as a .msg, a file of no known type that starts like a mailbox
    (Thunderbird's `Inbox`) as an mbox, and one that starts with mail headers (a Maildir
    message, `1204680122.V801I880d5M358047.host:2,S`) as a mail, and any other file of no known type
    whose first bytes are text (a `README`, `kunder.dat`, `moby.10`, `export.bak`) as text. Only
    the first bytes, and for a zip or an OLE file its directory, are read, so this is cheap.
    """
    suffix = blob.suffix
    if blob.open is None or blob.kind:
        return suffix
    try:
        with blob.open() as f:
            head = f.read(1024)
            family = next((fam for magic, fam in _MAGIC if head.startswith(magic)), None)
            if family is None:
                unknown = suffix not in _EXTRACTORS  # none, or a Maildir name's tail (`.host:2,S`)
                if unknown and _MBOX_START.match(head):
                    return ".mbox"
                if unknown and _looks_like_mail(head):
                    return ".eml"
                return ".txt" if unknown and looks_like_text(head) else suffix
            f.seek(0)
            if family == ".zip":
                return _zip_kind(f, suffix)
            if family == "ole":
                return _ole_kind(f, suffix)
            return suffix if suffix in _FAMILY[family] else family
    except CouldNotInspect:
        if suffix in _EXTRACTORS:
            return suffix  # the extractor reports it with the right words
        raise  # nothing else will: "cannot unpack this zip member" is the truth, not "type not read"
    except (OSError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError):
        return suffix  # the extractor reports the damage with the right words


def _looks_like_mail(head: bytes) -> bool:
    """The first bytes are RFC 822 headers, two or more of them ones every mail has."""
    names, at = set(), 0
    while (m := _HEADER_LINE.match(head, at)) and m.end() > at:
        names.add(m.group(0).split(b":", 1)[0].lower())
        at = m.end()
    return at > 0 and len(names & _MAIL_HEADERS) >= 2


def _zip_kind(f, suffix: str) -> str:
    """Word, Excel or PowerPoint by the zip's main part; OpenDocument and EPUB by its
    `mimetype`; Excel binary, Visio, XPS and iWork by their parts; else a zip."""
    if suffix == ".zip":
        return suffix
    archive = zipfile.ZipFile(f)
    names = {n.replace("\\", "/").lower() for n in archive.namelist()}
    if "mimetype" in names:
        declared = archive.read(next(n for n in archive.namelist() if n.lower() == "mimetype"))[:100]
        kind = _MIMETYPES.get(declared.decode("ascii", "replace").strip())
        if kind:
            return suffix if suffix in _ODF and kind in _ODF else kind
    if any(name.endswith(".fdseq") for name in names):
        return suffix if suffix in (".xps", ".oxps") else ".xps"
    main = next((s for part, s in _ZIP_MAIN_PART if part in names), ".zip")
    same = next((family for family in (_WORD, _EXCEL, _POWERPOINT, {".vsdx", ".vsdm", ".vstx", ".vstm"},
                                       {".pages", ".numbers", ".key"}) if main in family), {main})
    return suffix if suffix in same else main  # a .docm or .dotx is Word like a .docx


def _ole_kind(f, suffix: str) -> str:
    """An OLE compound file by its streams: Outlook item, Word 97, Excel 97; an encrypted
    Office Open XML file keeps its suffix (the extractor says "encrypted")."""
    import olefile

    try:
        streams = {entry[0] for entry in olefile.OleFileIO(f).listdir(streams=True, storages=True)}
    except OSError:
        return suffix
    if "EncryptedPackage" in streams:
        return suffix
    for stream, kind in _OLE_STREAMS:
        if any(name.startswith(stream) for name in streams):
            return kind
    return suffix


def extractor_for(blob: Blob) -> Extractor | None:
    """The extractor for the blob's real type, or None when the type is not supported."""
    _load_modules()
    if blob.content is not None:
        return _from_container
    return _EXTRACTORS.get(sniffed_suffix(blob))


def supported_suffixes() -> list[str]:
    _load_modules()
    return sorted(_EXTRACTORS)
