"""The parts of an Office Open XML package (.docx, .xlsx, .pptx) that python-docx, openpyxl and
python-pptx do not hand out, read as plain XML with lxml: footnotes and endnotes, SmartArt,
drawing text boxes, cell comments, and, when openpyxl cannot load a workbook, its cells.

Part names are looked up without regard to case or slash direction: some writers store
`xl\\worksheets\\Sheet1.xml` or `[content_types].xml`, which Excel opens all the same.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from lxml import etree

from scanner.model import Segment

MAX_PART_BYTES = 256 * 1024**2
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_CELL = re.compile(r"([A-Z]+)(\d+)$")


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def texts(root, name: str = "t") -> str:
    """The text of every element with this local name (`w:t`, `a:t`) under `root`, in order."""
    return "".join(el.text or "" for el in root.iter() if local(el) == name)


def _shown(el) -> Iterator:
    """The elements under `el` in document order, without the copies Word keeps for old readers
    (`mc:Fallback`: a text box is stored as a drawing and again as VML)."""
    for child in el:
        if local(child) != "Fallback":
            yield child
            yield from _shown(child)


def paragraphs(root) -> str:
    """The paragraphs (`w:p`, `a:p`) under `root`, one a line; a paragraph inside another
    (a text box anchored in it) is its own line."""
    lines: dict = {}
    for el in _shown(root):
        name = local(el)
        if name == "p":
            lines[el] = []
        elif name == "t":
            p = next((a for a in el.iterancestors() if local(a) == "p"), None)
            if p in lines:
                lines[p].append(el.text or "")
        elif name in ("br", "tab", "cr"):
            p = next((a for a in el.iterancestors() if local(a) == "p"), None)
            if p in lines:
                lines[p].append(" ")
    text = ("".join(parts) for parts in lines.values())
    return "\n".join(line for line in text if line.strip())


@dataclass
class Package:
    """An open Office Open XML zip, its parts found by name whatever their case and slashes."""

    zip: zipfile.ZipFile

    def __post_init__(self):
        self.names = {n.replace("\\", "/").lstrip("/").lower(): n for n in self.zip.namelist()}

    def has(self, name: str) -> bool:
        return name.lower() in self.names

    def matching(self, pattern: str) -> list[str]:
        """The part names (normalised) that match a regular expression, in natural order."""
        found = [n for n in self.names if re.fullmatch(pattern, n)]
        return sorted(found, key=lambda n: [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", n)])

    def read(self, name: str) -> bytes:
        with self.zip.open(self.names[name.lower()]) as f:
            return f.read(MAX_PART_BYTES + 1)

    def xml(self, name: str):
        """A part parsed, or None when the package has no such part."""
        return etree.fromstring(self.read(name), _PARSER) if self.has(name) else None

    def related(self, source: str, kind: str) -> list[str]:
        """The parts `source` points at with a relationship whose type ends in `/kind`."""
        folder, base = posixpath.split(source.lower())
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        if rels is None:
            return []
        targets = []
        for rel in rels:
            if rel.get("Type", "").endswith("/" + kind) and rel.get("TargetMode") != "External":
                target = rel.get("Target", "").replace("\\", "/")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                targets.append(posixpath.normpath(path).lower())
        return targets

    def relationship(self, source: str, rel_id: str) -> str | None:
        """The part a relationship id (`rId3`) of `source` points at (a target is relative to the
        source's folder, or to the package's root when it starts with `/`, as openpyxl writes it)."""
        folder, base = posixpath.split(source.lower())
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        for rel in rels if rels is not None else []:
            if rel.get("Id") == rel_id and rel.get("TargetMode") != "External":
                target = rel.get("Target", "").replace("\\", "/")  # from the package's root when it starts with /
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                return posixpath.normpath(path).lower()
        return None


def main_part_name(package: Package) -> str:
    """The name of the package's main part (a Word document's `word/document.xml`), found through
    its relationships whichever namespace they use (transitional or ISO strict)."""
    root = package.xml("_rels/.rels")
    missing = None
    for rel in root if root is not None else []:
        if rel.get("Type", "").endswith("/officeDocument"):
            target = rel.get("Target", "").lstrip("/")
            if package.has(target):
                return target
            missing = target
    if missing:  # said as the zip library says it, naming the part
        raise KeyError(f"There is no item named '{missing}' in the archive")
    raise KeyError("the package has no main document part")


def main_part(package: Package):
    """The package's main part, parsed (see `main_part_name`)."""
    return package.xml(main_part_name(package))


def core_properties(package: Package) -> "CoreProperties":
    """The author, last editor and dates in `docProps/core.xml` (the names openpyxl uses)."""
    root = package.xml("docProps/core.xml")
    found = {local(el): (el.text or "").strip() for el in (root if root is not None else [])}
    return CoreProperties(found.get("creator") or None, found.get("lastModifiedBy") or None,
                          _w3c_date(found.get("created")), _w3c_date(found.get("modified")))


@dataclass
class CoreProperties:
    creator: str | None
    lastModifiedBy: str | None
    created: datetime | None
    modified: datetime | None


def _w3c_date(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def smartart(package: Package, folder: str) -> list[Segment]:
    """The text of each SmartArt diagram (an org chart, a process) in `word/`, `ppt/` or `xl/`."""
    segments = []
    for name in package.matching(rf"{folder}diagrams/data\d*\.xml"):
        text = paragraphs(package.xml(name))
        if text:
            segments.append(Segment(text, "SmartArt"))
    return segments


def charts(package: Package, folder: str) -> list[Segment]:
    """The titles and labels typed into each chart (`chart 2`)."""
    segments = []
    for n, name in enumerate(package.matching(rf"{folder}charts/chart\d*\.xml"), start=1):
        text = paragraphs(package.xml(name))
        if text:
            segments.append(Segment(text, f"chart {n}"))
    return segments


def notes(package: Package, part: str, kind: str) -> list[Segment]:
    """Word's footnotes or endnotes, each `footnote 3` by its number (the separators skipped)."""
    root = package.xml(part)
    segments = []
    for note in root if root is not None else []:
        if local(note) == kind and not note.get(f"{{{etree.QName(note).namespace}}}type"):
            text = paragraphs(note)
            if text:
                number = note.get(f"{{{etree.QName(note).namespace}}}id", "")
                segments.append(Segment(text, f"{kind} {number}"))
    return segments


# ---- Excel -------------------------------------------------------------------------------


def sheets(package: Package) -> list[tuple[str, str]]:
    """(name, part) of every worksheet, in workbook order."""
    workbook = package.xml("xl/workbook.xml")
    if workbook is None:
        raise KeyError("the workbook part xl/workbook.xml is missing")
    found = []
    for el in workbook.iter():
        if local(el) == "sheet":
            rel_id = next((v for k, v in el.attrib.items() if local_attr(k) == "id"), None)
            part = package.relationship("xl/workbook.xml", rel_id) if rel_id else None
            if part and package.has(part):
                found.append((el.get("name", part), part))
    return found


def local_attr(key: str) -> str:
    return key.rsplit("}", 1)[-1]


def shared_strings(package: Package) -> list[str]:
    root = package.xml("xl/sharedStrings.xml")
    return [texts(si) for si in root if local(si) == "si"] if root is not None else []


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def raw_rows(package: Package, part: str, shared: list[str]) -> Iterator[list[str]]:
    """A worksheet's rows read from its XML, each cell at its column (the `r` attribute):
    the reader for workbooks openpyxl refuses. Rows are yielded in order, gaps as empty rows."""
    root = etree.fromstring(package.read(part), _PARSER)
    row_no = 0
    for row in root.iter():
        if local(row) != "row":
            continue
        number = int(row.get("r") or row_no + 1)
        while row_no + 1 < number:
            row_no += 1
            yield []
        row_no = number
        cells: list[str] = []
        for cell in row:
            if local(cell) != "c":
                continue
            m = _CELL.match(cell.get("r", ""))
            col = column_number(m.group(1)) if m else len(cells) + 1
            kind = cell.get("t")
            value = next((el.text or "" for el in cell if local(el) == "v"), "")
            if kind == "s" and value.strip().isdigit() and int(value) < len(shared):
                value = shared[int(value)]
            elif kind == "inlineStr":
                value = texts(cell)
            cells += [""] * (col - len(cells) - 1)
            cells.append(value)
        yield cells


def comments(package: Package, sheet_name: str, part: str) -> list[Segment]:
    """A worksheet's cell comments, each `comment on Ark1!C7`, with its author."""
    segments = []
    for target in package.related(part, "comments"):
        root = package.xml(target)
        if root is None:
            continue
        authors = [a.text or "" for el in root.iter() if local(el) == "authors" for a in el]
        for c in root.iter():
            if local(c) == "comment" and (text := texts(c).strip()):
                author_id = c.get("authorId", "")
                author = authors[int(author_id)] if author_id.isdigit() and int(author_id) < len(authors) else ""
                prefix = f"{author}: " if author and not text.startswith(author) else ""
                segments.append(Segment(prefix + text, f"comment on {sheet_name}!{c.get('ref', '')}"))
    return segments


def drawing_text(package: Package, sheet_name: str, part: str) -> list[Segment]:
    """Text boxes and shapes drawn on a worksheet (`text box on Ark1`), and its SmartArt."""
    segments = []
    for drawing in package.related(part, "drawing"):
        root = package.xml(drawing)
        for shape in root.iter() if root is not None else []:
            if local(shape) == "txBody" and (text := paragraphs(shape)):
                segments.append(Segment(text, f"text box on {sheet_name}"))
    return segments
