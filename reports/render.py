"""The gap report: `gaps.json` for machines and one self-contained `report.html` for the DPO.

Both hold masked values only. The HTML needs no network: styles are inline.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from html import escape
from pathlib import Path

from detectors.categories import CATEGORIES
from reports.reconcile import KIND_ORDER, Gap
from reports.register import Register

KIND_LABELS = {
    "undeclared_location": "Ikke-anmeldt placering",
    "undeclared_category": "Ikke-anmeldt kategori",
    "contradiction": "Modstrid med fortegnelsen",
    "overdue": "Opbevaret for længe",
    "could_not_inspect": "Kunne ikke undersøges",
    "declared_not_found": "Anmeldt, men ikke fundet",
    "not_scannable": "Kan ikke skannes",
}
SEVERITY_LABELS = {"high": "Høj", "medium": "Middel", "low": "Lav"}

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1d2329;max-width:80rem}
h1{font-size:1.6rem;margin-bottom:.2rem} .meta{color:#5b6770;margin-bottom:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem} th,td{border-bottom:1px solid #dde3e8;
padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.92rem} th{background:#f3f6f8}
.sev-high{color:#fff;background:#b3261e;padding:.1rem .45rem;border-radius:.3rem}
.sev-medium{background:#f4c542;padding:.1rem .45rem;border-radius:.3rem}
.sev-low{background:#dde3e8;padding:.1rem .45rem;border-radius:.3rem}
details{margin:.2rem 0} code{font-size:.85rem}
"""


def write_json(path: Path, scan: dict, register: Register, gaps: list[Gap], as_of: date) -> None:
    """Write gaps.json: the scan, the register version and every gap with its evidence."""
    payload = {
        "scan": {k: scan[k] for k in ("id", "started", "finished", "root", "stats")},
        "register": {"file": register.source, "version": register.version, "controller": register.controller},
        "as_of": as_of.isoformat(),
        "gaps": [asdict(g) for g in gaps],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), encoding="utf-8")


def _category_label(category: str | None) -> str:
    return CATEGORIES[category][0] if category in CATEGORIES else (category or "")


def _evidence_table(gap: Gap) -> str:
    if not gap.evidence:
        return ""
    columns = [c for c in ("location", "where", "entity_type", "masked", "clock", "clock_source", "clock_started",
                                 "due", "days_overdue")
               if any(c in e for e in gap.evidence)]
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    rows = "".join("<tr>" + "".join(f"<td>{escape(str(e.get(c, '')))}</td>" for c in columns) + "</tr>"
                   for e in gap.evidence)
    more = f"<p>… og flere ({gap.findings or gap.items} i alt)</p>" if len(gap.evidence) < max(gap.findings, gap.items) else ""
    return f"<details><summary>Beviser ({len(gap.evidence)})</summary><table><tr>{head}</tr>{rows}</table>{more}</details>"


def write_html(path: Path, scan: dict, register: Register, gaps: list[Gap], as_of: date) -> None:
    """Write report.html: a summary by gap kind and severity, then every gap with its evidence."""
    stats = scan["stats"]
    counts = {kind: {s: 0 for s in SEVERITY_LABELS} for kind in KIND_ORDER}
    for g in gaps:
        counts[g.kind][g.severity] += 1
    summary_rows = "".join(
        f"<tr><td>{KIND_LABELS[k]}</td>" + "".join(f"<td>{counts[k][s]}</td>" for s in SEVERITY_LABELS) + "</tr>"
        for k in KIND_ORDER)
    gap_rows = "".join(
        f"<tr><td><span class='sev-{g.severity}'>{SEVERITY_LABELS[g.severity]}</span></td>"
        f"<td>{KIND_LABELS[g.kind]}</td><td><code>{escape(g.location)}</code></td>"
        f"<td>{escape(', '.join(_category_label(c) for c in g.categories))}</td>"
        f"<td>{escape(g.detail)}{_evidence_table(g)}</td></tr>"
        for g in gaps)
    html = f"""<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>datakort – afvigelsesrapport</title>
<style>{CSS}</style></head><body>
<h1>Afvigelsesrapport: {escape(register.controller)}</h1>
<div class="meta">Skanning {scan['id']} af <code>{escape(scan['root'])}</code>, {escape(scan['started'][:16])} ·
fortegnelse version {escape(register.version)} · opgjort pr. {as_of.isoformat()} ·
{stats.get('items', 0)} elementer, {stats.get('analysed', 0)} undersøgt, {stats.get('findings', 0)} fund,
{stats.get('could_not_inspect', 0)} kunne ikke undersøges, {stats.get('skipped', 0)} sprunget over</div>
<h2>Overblik</h2>
<table><tr><th>Afvigelse</th>{''.join(f'<th>{v}</th>' for v in SEVERITY_LABELS.values())}</tr>{summary_rows}</table>
<h2>Afvigelser ({len(gaps)})</h2>
<table><tr><th>Alvor</th><th>Type</th><th>Placering</th><th>Kategorier</th><th>Beskrivelse</th></tr>{gap_rows}</table>
<p class="meta">Værdier er maskerede; ingen personoplysninger i klartekst. Lavet af datakort.</p>
</body></html>
"""
    path.write_text(html, encoding="utf-8")
