"""Machine-readable reports: `gaps.json` and CSV files (gaps.csv, findings.csv, inventory.csv).

The tables here are also the XLSX export's sheets (reports/render/xlsx.py): one definition of
each table, two file formats. Masked values only.
"""
from __future__ import annotations

import csv
import json
from dataclasses import asdict
from pathlib import Path

from reports.gaps.reconcile import Gap
from reports.gaps.reviews import AppliedMark, Target
from reports.render.labels import gap_detail
from reports.render.report import Report

Table = tuple[list[str], list[list]]


def _iso(value) -> str:
    return value.isoformat() if value else ""


def gap_table(report: Report, gaps: list[Gap], lang: str | None = None) -> Table:
    """Gaps as rows: id, kind, severity, location, system, categories, rule, counts, detail, review.

    With `lang` the description is in that language (for people); without, reconciliation's own."""
    systems = {s.id: s.name for s in report.register.systems}
    headers = ["id", "kind", "severity", "location", "system", "categories", "rule", "items", "findings",
               "description", "review", "effect"]
    rows = []
    for g in gaps:
        mark = report.mark(Target.GAP, g.id)
        rows.append([g.id, g.kind, g.severity, g.location, g.system or "", ", ".join(g.categories), g.rule or "",
                     g.items, g.findings, gap_detail(g, lang, systems) if lang else g.detail, mark.status if mark else "", mark.effect if mark else ""])
    return headers, rows


def _status(mark: AppliedMark | None) -> str:
    return mark.status if mark else ""


def finding_table(report: Report) -> Table:
    """Every distinct finding: id, location, sub-locations, type, category, masked value, score, review."""
    headers = ["id", "location", "where", "entity_type", "category", "masked", "score", "modified", "review"]
    rows = [[f.id, f.location, f.where, f.entity_type, f.category, f.masked, round(f.score, 2), _iso(f.modified),
             _status(report.mark(Target.FINDING, f.id))] for f in report.findings]
    return headers, rows


def inventory_table(report: Report) -> Table:
    """The data map: place, system, categories (with findings), counts, oldest and newest dates."""
    headers = ["place", "system", "categories", "undeclared", "items", "items_with_data", "findings",
               "oldest", "newest"]
    rows = [[r.place, r.system or "", ", ".join(f"{c} ({n})" for c, n in sorted(r.categories.items())),
             ", ".join(r.undeclared()), r.items, r.items_with_data, r.findings, _iso(r.oldest), _iso(r.newest)]
            for r in report.inventory]
    return headers, rows


def json_payload(report: Report) -> dict:
    """Everything in the report as plain JSON data."""
    scan, register = report.scan, report.register
    findings_headers, findings_rows = finding_table(report)
    inventory_headers, inventory_rows = inventory_table(report)
    return {
        "scan": {"id": scan.id, "started": scan.started, "finished": scan.finished, "root": scan.root,
                 "stats": scan.stats},
        "register": {"file": register.source, "version": register.version, "controller": register.controller},
        "as_of": report.as_of.isoformat(),
        "gaps": [asdict(g) for g in report.gaps],
        "reviewed_gaps": [asdict(g) for g in report.hidden],
        "review_marks": [m.as_dict() for m in report.marks],
        "findings": [dict(zip(findings_headers, r)) for r in findings_rows],
        "inventory": [dict(zip(inventory_headers, r)) for r in inventory_rows],
        "since_previous_scan": report.diff.as_dict() if report.diff else None,
    }


def write_json(path: Path, report: Report) -> Path:
    """Write gaps.json: scan, register version, open and reviewed gaps, findings, inventory, diff."""
    path.write_text(json.dumps(json_payload(report), indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def write_csv(out: Path, report: Report) -> list[Path]:
    """Write gaps.csv (open and reviewed gaps), findings.csv and inventory.csv (UTF-8, comma separated)."""
    tables = {"gaps.csv": gap_table(report, report.gaps + report.hidden), "findings.csv": finding_table(report),
              "inventory.csv": inventory_table(report)}
    paths = []
    for name, (headers, rows) in tables.items():
        path = out / name
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(headers)
            writer.writerows(rows)
        paths.append(path)
    return paths
