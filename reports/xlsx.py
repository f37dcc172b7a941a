"""The XLSX export for the DPO: a summary sheet, a sheet per gap kind, all findings, the inventory."""
from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.export import finding_table, gap_table, inventory_table
from reports.labels import SEVERITIES, TEXT, kind_label
from reports.reconcile import KIND_ORDER
from reports.report import Report

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


def _fill(ws, headers: list[str], rows: list[list], lang: str) -> None:
    text = TEXT[lang]
    labels = [text.get(h, h.replace("_", " ")) for h in headers]
    ws.append([label[:1].upper() + label[1:] for label in labels])
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for n, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(r[n - 1])) for r in rows[:500]])
        ws.column_dimensions[get_column_letter(n)].width = min(max(width + 2, 8), 70)


def write_xlsx(path: Path, report: Report, lang: str = "da") -> Path:
    """Write report.xlsx."""
    text = TEXT[lang]
    wb = Workbook()
    taken: set[str] = set()
    summary = wb.active
    summary.title = sheet_name(text["summary"], taken)
    severities = list(SEVERITIES[lang])
    kinds = list(KIND_ORDER) + sorted({g.kind for g in report.gaps} - set(KIND_ORDER))
    rows = [[kind_label(k, lang)] + [sum(1 for g in report.gaps if g.kind == k and g.severity == s)
                                     for s in severities] for k in kinds]
    _fill(summary, ["kind"] + [SEVERITIES[lang][s] for s in severities], rows, lang)

    for kind in kinds:
        gaps = [g for g in report.gaps if g.kind == kind]
        if gaps:
            _fill(wb.create_sheet(sheet_name(kind_label(kind, lang), taken)), *gap_table(report, gaps), lang)
    if report.hidden:
        _fill(wb.create_sheet(sheet_name(text["reviewed_short"], taken)), *gap_table(report, report.hidden), lang)
    _fill(wb.create_sheet(sheet_name(text["all_findings"], taken)), *finding_table(report), lang)
    _fill(wb.create_sheet(sheet_name(text["inventory_short"], taken)), *inventory_table(report), lang)
    wb.save(path)
    return path
