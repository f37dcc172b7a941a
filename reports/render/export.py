"""Machine-readable reports: `gaps.json` and CSV files (gaps.csv, findings.csv, inventory.csv).

The tables here are also the XLSX export's sheets (reports/render/xlsx.py): one definition of
each table, two file formats. Without a language a table holds ids and ISO dates (JSON, CSV:
stable for scripts); with one it holds the words and real dates a person reads (XLSX).
CSV is written so that Excel opens it right: UTF-8 with a byte-order mark, and `;` between
fields by default for Danish (Danish Excel expects it; `--csv-delimiter` changes it).
Masked values only.
"""
from __future__ import annotations

import csv
import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from reports.gaps.reconcile import KIND_ORDER, SEVERITY_ORDER, Gap
from reports.gaps.reviews import AppliedMark, Target
from reports.render.labels import (EFFECTS, SEVERITIES, STATUSES, TEXT, category_short, entity_label, gap_detail,
                                   kind_label, local_zone, location_text, where_text)
from reports.render.report import Report

Table = tuple[list[str], list[list]]
CSV_DELIMITERS = {"da": ";", "en": ","}


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _when(value: datetime | None, lang: str | None):
    """A date for the table: ISO text for machines; a local, zone-less datetime Excel shows as a date."""
    if lang is None or not value:
        return _iso(value)
    return value.astimezone(local_zone()).replace(tzinfo=None) if value.tzinfo else value


def by_severity(gaps: list[Gap]) -> list[Gap]:
    """Gaps most severe first, then in the reports' order of kinds."""
    order = {k: n for n, k in enumerate(KIND_ORDER)}
    return sorted(gaps, key=lambda g: (SEVERITY_ORDER.get(g.severity, 9), order.get(g.kind, len(order)),
                                       g.location))


def _mark_words(mark: AppliedMark | None, lang: str | None) -> tuple[str, str]:
    if not mark:
        return "", ""
    if lang is None:
        return mark.status, mark.effect
    return STATUSES[lang].get(mark.status, mark.status), EFFECTS[lang].get(mark.effect, mark.effect)


def gap_table(report: Report, gaps: list[Gap], lang: str | None = None) -> Table:
    """Gaps as rows: id, kind, severity, location, system, categories, rule, counts, detail, review.

    With `lang` every value is in that language (for people); without, ids and reconciliation's detail."""
    systems = {s.id: s.name for s in report.register.systems}
    rules = {r.id: r.rule or r.id for r in report.register.retention}
    headers = ["id", "kind", "severity", "location", "system", "categories", "rule", "items", "findings",
               "description", "review", "effect"]
    rows = []
    for g in gaps:
        status, effect = _mark_words(report.mark(Target.GAP, g.id), lang)
        if lang is None:
            rows.append([g.id, g.kind, g.severity, g.location, g.system or "", ", ".join(g.categories), g.rule or "",
                         g.items, g.findings, g.detail, status, effect])
        else:
            rows.append([g.id, kind_label(g.kind, lang), SEVERITIES[lang].get(g.severity, g.severity),
                         location_text(g.location, lang), systems.get(g.system or "", g.system or ""),
                         ", ".join(category_short(c, lang) for c in g.categories), rules.get(g.rule or "", g.rule or ""),
                         g.items, g.findings, gap_detail(g, lang, systems, report.register), status, effect])
    return headers, rows


def finding_table(report: Report, lang: str | None = None) -> Table:
    """Every distinct finding: id, location, sub-locations, type, category, masked value, score, review."""
    headers = ["id", "location", "where", "entity_type", "category", "masked", "score", "modified", "review"]
    rows = []
    for f in report.findings:
        status, _ = _mark_words(report.mark(Target.FINDING, f.id), lang)
        if lang is None:
            rows.append([f.id, f.location, f.where, f.entity_type, f.category, f.masked, round(f.score, 2),
                         _iso(f.modified), status])
        else:
            rows.append([f.id, location_text(f.location, lang), where_text(f.where, lang),
                         entity_label(f.entity_type, lang), category_short(f.category, lang), f.masked,
                         round(f.score, 2), _when(f.modified, lang), status])
    return headers, rows


def inventory_table(report: Report, lang: str | None = None) -> Table:
    """The data map: place, system, categories (with findings), undeclared categories, counts, dates."""
    headers = ["place", "system" if lang is None else "in_register", "categories",
               "undeclared" if lang is None else "undeclared_categories", "items", "items_with_data", "findings",
               "oldest", "newest"]
    rows = []
    for r in report.inventory:
        if lang is None:
            rows.append([r.place, r.system or "", ", ".join(f"{c} ({n})" for c, n in sorted(r.categories.items())),
                         ", ".join(r.undeclared()), r.items, r.items_with_data, r.findings, _iso(r.oldest),
                         _iso(r.newest)])
        else:
            t = TEXT[lang]
            rows.append([r.place, t["yes"] if r.system else t["not_in_register"],
                         ", ".join(f"{category_short(c, lang)} ({n})" for c, n in sorted(r.categories.items())),
                         ", ".join(category_short(c, lang) for c in r.undeclared()), r.items, r.items_with_data,
                         r.findings, _when(r.oldest, lang), _when(r.newest, lang)])
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
        # findings of an item beyond the first ITEM_FINDINGS (counted in the gaps and inventory, not listed)
        "findings_not_listed": report.not_listed,
        "inventory": [dict(zip(inventory_headers, r)) for r in inventory_rows],
        "since_previous_scan": report.diff.as_dict() if report.diff else None,
    }


def write_json(path: Path, report: Report) -> Path:
    """Write gaps.json: scan, register version, open and reviewed gaps, findings, inventory, diff."""
    path.write_text(json.dumps(json_payload(report), indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def write_csv(out: Path, report: Report, lang: str = "da", delimiter: str | None = None) -> list[Path]:
    """Write gaps.csv (open and reviewed gaps), findings.csv and inventory.csv.

    UTF-8 with a byte-order mark (so Excel reads æøå right) and `;` between fields for Danish,
    `,` for English, unless `delimiter` says otherwise."""
    delimiter = delimiter or CSV_DELIMITERS.get(lang, ",")
    tables = {"gaps.csv": gap_table(report, by_severity(report.gaps) + report.hidden),
              "findings.csv": finding_table(report), "inventory.csv": inventory_table(report)}
    paths = []
    for name, (headers, rows) in tables.items():
        path = out / name
        with path.open("w", newline="", encoding="utf-8-sig") as f:
            writer = csv.writer(f, delimiter=delimiter)
            writer.writerow(headers)
            writer.writerows(rows)
        paths.append(path)
    return paths
