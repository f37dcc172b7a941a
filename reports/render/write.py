"""Write a report in the formats the user asks for."""
from __future__ import annotations

from pathlib import Path

from reports.render.export import write_csv, write_json
from reports.render.html import write_html, write_summary
from reports.render.report import Report
from reports.render.xlsx import write_xlsx

FORMATS = ("html", "json", "csv", "xlsx")
DEFAULT_FORMATS = ("html", "json")


def write_report(report: Report, out: Path, formats: list[str], lang: str = "da",
                 csv_delimiter: str | None = None) -> list[Path]:
    """Write the report files into `out`; returns their paths. `html` writes summary.html beside report.html."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if "html" in formats:
        written.append(write_html(out / "report.html", report, lang))
        written.append(write_summary(out / "summary.html", report, lang))
    if "json" in formats:
        written.append(write_json(out / "gaps.json", report))
    if "csv" in formats:
        written.extend(write_csv(out, report, lang, csv_delimiter))
    if "xlsx" in formats:
        written.append(write_xlsx(out / "report.xlsx", report, lang))
    return written
