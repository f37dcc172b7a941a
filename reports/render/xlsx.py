"""The XLSX export for the DPO, every value in the report's language.

Sheets: a cover (scan, share, register version, coverage), the summary, all gaps sorted by
severity, a sheet per gap kind, the reviewed gaps, all findings, the data map. Dates are real
Excel dates (local time), headers bold, filterable and frozen.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.gaps.reconcile import KIND_ORDER
from reports.render.export import by_severity, finding_table, gap_table, inventory_table
from reports.render.labels import SEVERITIES, TEXT, coverage_warning_text, kind_label, local_time
from reports.render.report import Report

HEAD_FILL = PatternFill("solid", fgColor="F3F6F8")
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", "-", label)[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name.lower())
    return name


def _width(value) -> int:
    return 16 if isinstance(value, (date, datetime)) else len(str(value))


def _cell(ws, value):
    """A cell; dates and times get a date format so Excel sorts and filters them as dates."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


SHEET_ROWS = 1_048_576  # Excel opens no more rows than this in a sheet


def _fill(wb: Workbook, title: str, headers: list[str], rows: list[list], lang: str, taken: set[str]) -> None:
    """A sheet with a bold, filterable, frozen header row (write-only: rows stream to the file). Rows
    beyond what Excel opens end with one row saying how many more there are (findings.csv has them)."""
    if len(rows) > SHEET_ROWS - 1:
        more = len(rows) - (SHEET_ROWS - 2)
        rows = rows[:SHEET_ROWS - 2] + [[f"… +{more} (findings.csv)"] + [""] * (len(headers) - 1)]
    ws = wb.create_sheet(sheet_name(title, taken))
    text = TEXT[lang]
    labels = [text.get(h, h) for h in headers]
    for n, label in enumerate(labels, start=1):
        width = max([len(label)] + [_width(r[n - 1]) for r in rows[:500]])
        ws.column_dimensions[get_column_letter(n)].width = min(max(width + 2, 8), 70)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    head = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label[:1].upper() + label[1:])
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
        head.append(cell)
    ws.append(head)
    for row in rows:
        ws.append([_cell(ws, v) for v in row])


def _cover(wb: Workbook, report: Report, lang: str, taken: set[str]) -> None:
    """The first sheet: what was scanned, when, against which register, and how much could be read."""
    t, scan, stats = TEXT[lang], report.scan, report.scan.stats
    ws = wb.create_sheet(sheet_name(t["cover"], taken))
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 34, 70
    title = WriteOnlyCell(ws, value=f"{t['title']}: {report.register.controller}")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    lines = [(t["scan"], scan.id), (t["share"], scan.root), (t["started"], local_time(scan.started)),
             (t["finished"], local_time(scan.finished)), (t["controller"], report.register.controller),
             (t["register"], report.register.source), (t["register_version"].capitalize(), report.register.version),
             (t["as_of"].capitalize(), report.as_of),
             (t["coverage"], coverage_warning_text(report.coverage_warning, lang) if report.coverage_warning else ""),
             (t["items"].capitalize(), stats.get("items", 0)), (t["analysed"].capitalize(), stats.get("analysed", 0)),
             (t["skipped"].capitalize(), stats.get("skipped", 0)),
             (t["could_not_inspect"].capitalize(), stats.get("could_not_inspect", 0)),
             (t["findings"].capitalize(), report.finding_total),
             (f"{t['findings_total']} ({t['occurrences']})", stats.get("findings", 0)),
             (t["gaps"], len(report.gaps)), (t["reviewed_short"], len(report.hidden))]
    for label, value in lines:
        key = WriteOnlyCell(ws, value=label)
        key.font = Font(bold=True)
        ws.append([key, _cell(ws, value)])
    ws.append([])
    ws.append([t["footer"]])


def write_xlsx(path: Path, report: Report, lang: str = "da") -> Path:
    """Write report.xlsx."""
    text = TEXT[lang]
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    _cover(wb, report, lang, taken)
    severities = list(SEVERITIES[lang])
    kinds = list(KIND_ORDER) + sorted({g.kind for g in report.gaps} - set(KIND_ORDER))
    rows = [[kind_label(k, lang)] + [sum(1 for g in report.gaps if g.kind == k and g.severity == s)
                                     for s in severities] for k in kinds]
    _fill(wb, text["summary"], ["kind"] + [SEVERITIES[lang][s] for s in severities], rows, lang, taken)
    _fill(wb, text["all_gaps"], *gap_table(report, by_severity(report.gaps), lang), lang, taken)
    for kind in kinds:
        gaps = [g for g in report.gaps if g.kind == kind]
        if gaps:
            _fill(wb, kind_label(kind, lang), *gap_table(report, gaps, lang), lang, taken)
    if report.hidden:
        _fill(wb, text["reviewed_short"], *gap_table(report, report.hidden, lang), lang, taken)
    _fill(wb, text["all_findings"], *finding_table(report, lang), lang, taken)
    _fill(wb, text["inventory_short"], *inventory_table(report, lang), lang, taken)
    wb.save(path)
    return path
