"""Make Interket's Word register (fortegnelse.docx) from the seed text (fortegnelse.txt).

The seed is the Word register flattened to text: one table row per line, cells separated
by tabs, a row with an empty first cell continues the section above, and the list of
systems kept as HTML. This script puts it back into a Word table as the DPO wrote it:
four columns (section, field, value, X mark), section cells merged down, each value on
its own lines, the systems as a bulleted list. Two things the flattening lost are
restored explicitly: the line breaks inside the controller's and the data subjects'
cells (LINE_BREAKS) and Word's optional hyphens ("service-ring" is "service\xadring").

Usage: python samples/interket/make_fortegnelse.py [fortegnelse.txt] [fortegnelse.docx]
"""
from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINE_BREAKS = ("Uraniavej", "8700 Horsens", "Cvr-nr.", "Hjemmeside:", "E-mail:", "Telefonnummer:",
               "Interket A/S, 88", "Kontaktpersonoplysninger hos")
SOFT_HYPHENS = {"service-ring": "service\u00adring", "registre-rede": "registre\u00adrede"}


def _lines(value: str) -> list[tuple[str, bool]]:
    """A cell's text as (line, is_list_item) pairs."""
    for word, soft in SOFT_HYPHENS.items():
        value = value.replace(word, soft)
    if "<ul" in value or "<p>" in value:
        out: list[tuple[str, bool]] = []
        items = re.search(r"<ul[^>]*>(.*?)(?:</ul>|<p>)", value, re.S)
        if items:
            out += [(i.strip(), True) for i in re.split(r"\s-\s", " " + items.group(1)) if i.strip()]
        out += [(p.strip(), False) for p in re.findall(r"<p>(.*?)</p>", value, re.S)]
        return out
    for marker in LINE_BREAKS:
        value = value.replace(f" {marker}", f"\n{marker}")
    return [(line.strip(), False) for line in value.split("\n") if line.strip()]


def parse_seed(text: str) -> tuple[str, str, list[list[str]]]:
    """The title, the introduction and the table rows (section, field, value, mark) of the seed."""
    paragraphs = [line for line in text.splitlines() if line.strip() and "\t" not in line]
    rows = []
    for line in text.splitlines():
        if "\t" not in line or set(line.replace("\t", "")) <= {"-"}:
            continue
        cells = (line.split("\t") + ["", "", "", ""])[:4]
        rows.append([c.strip() for c in cells])
    return paragraphs[0], paragraphs[1], rows


def make_docx(seed: Path, out: Path) -> None:
    """Write the Word register for the seed text."""
    import docx

    title, intro, rows = parse_seed(seed.read_text(encoding="utf-8"))
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(intro)
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for r, (section, field, value, mark) in enumerate(rows):
        cells = table.rows[r].cells
        for c, text in ((0, section), (1, field)):
            if text:
                cells[c].text = text.replace("registre-rede", SOFT_HYPHENS["registre-rede"])
        lines = _lines(value)
        for n, (line, is_item) in enumerate(lines):
            paragraph = cells[2].paragraphs[0] if n == 0 else cells[2].add_paragraph()
            paragraph.text = line
            if is_item:
                paragraph.style = "List Bullet"
        cells[3].text = mark
    for r, (section, field, _, _) in enumerate(rows):  # continuation rows: merge the label cells down
        for c, text in ((0, section), (1, field)):
            if r and not text:
                table.cell(r - 1, c).merge(table.cell(r, c))
    document.core_properties.author = "Interket A/S"
    document.core_properties.title = title
    document.core_properties.created = document.core_properties.modified = datetime(2026, 1, 15, 9, 0)
    document.save(out)


if __name__ == "__main__":
    args = sys.argv[1:]
    seed = Path(args[0]) if args else HERE / "fortegnelse.txt"
    out = Path(args[1]) if len(args) > 1 else HERE / "fortegnelse.docx"
    make_docx(seed, out)
    print(out)
