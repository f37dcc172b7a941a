"""The XLSX export for the DPO: a summary sheet, a sheet per gap kind, all findings, the inventory."""
from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.render.export import finding_table, gap_table, inventory_table
from reports.render.labels import SEVERITIES, TEXT, kind_label
from reports.gaps.reconcile import KIND_ORDER
from reports.render.report import Report

HEAD_FILL = PatternFill("solid", fgColor="F3F6F8")


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", "-", label)[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name.lower())
    return name


def _fill(wb: Workbook, title: str, headers: list[str], rows: list[list], lang: str, taken: set[str]) -> None:
    """A sheet with a bold, filterable, frozen header row (write-only: rows stream to the file)."""
    ws = wb.create_sheet(sheet_name(title, taken))
    for n, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(r[n - 1])) for r in rows[:500]])
        ws.column_dimensions[get_column_letter(n)].width = min(max(width + 2, 8), 70)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    text = TEXT[lang]
    head = []
    for h in headers:
        label = text.get(h, h.replace("_", " "))
        cell = WriteOnlyCell(ws, value=label[:1].upper() + label[1:])
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
        head.append(cell)
    ws.append(head)
    for row in rows:
        ws.append(row)


def write_xlsx(path: Path, report: Report, lang: str = "da") -> Path:
    """Write report.xlsx."""
    text = TEXT[lang]
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    severities = list(SEVERITIES[lang])
    kinds = list(KIND_ORDER) + sorted({g.kind for g in report.gaps} - set(KIND_ORDER))
    rows = [[kind_label(k, lang)] + [sum(1 for g in report.gaps if g.kind == k and g.severity == s)
                                     for s in severities] for k in kinds]
    _fill(wb, text["summary"], ["kind"] + [SEVERITIES[lang][s] for s in severities], rows, lang, taken)

    for kind in kinds:
        gaps = [g for g in report.gaps if g.kind == kind]
        if gaps:
            _fill(wb, kind_label(kind, lang), *gap_table(report, gaps, lang), lang, taken)
    if report.hidden:
        _fill(wb, text["reviewed_short"], *gap_table(report, report.hidden, lang), lang, taken)
    _fill(wb, text["all_findings"], *finding_table(report), lang, taken)
    _fill(wb, text["inventory_short"], *inventory_table(report), lang, taken)
    wb.save(path)
    return path
