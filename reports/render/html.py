"""report.html: one self-contained file for the DPO (inline CSS and JS, no network), Danish or English.

Summary first (gaps by kind and severity, a heat map of places x categories, the trend since
the previous scan), then what changed since the previous scan, every open gap with its
evidence (sortable, filterable), the reviewed gaps, the data map and all findings.
Masked values only.
"""
from __future__ import annotations

import math
from html import escape
from pathlib import Path

from detectors.categories import CATEGORIES
from reports.gaps.diff import Change, Diff
from reports.render.labels import EFFECTS, SEVERITIES, STATUSES, TEXT, category_label, gap_detail, kind_label
from reports.gaps.reconcile import KIND_ORDER, SEVERITY_ORDER, Gap, Severity
from reports.gaps.reviews import AppliedMark, Effect, Target, describe_mark
from reports.render.report import Report

MAX_FINDINGS = 2000   # rows of the findings table; all of them are in findings.csv and report.xlsx
MAX_CHANGES = 200     # lines per list of changes since the previous scan; all of them: `datakort diff`
EVIDENCE_ORDER = ("location", "where", "entity_type", "category", "masked", "modified", "clock", "clock_source", "clock_started",
                  "due", "days_overdue", "categories")

CSS = """
:root{--ink:#1d2329;--muted:#5b6770;--line:#dde3e8;--head:#f3f6f8;--high:#b3261e;--medium:#f4c542;--accent:#1f5f8b}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--ink);background:#fff}
main{max-width:84rem;margin:0 auto;padding:1.5rem 2rem 3rem}
h1{font-size:1.6rem;margin:0 0 .3rem} h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:2px solid var(--line);
padding-bottom:.2rem} h3{font-size:1rem;margin:1.2rem 0 .4rem}
.meta{color:var(--muted);font-size:.92rem} nav{margin:.8rem 0 0;font-size:.92rem} nav a{margin-right:1rem;color:var(--accent)}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.6rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.6rem} .card span{color:var(--muted);font-size:.85rem}
.card.alert b{color:var(--high)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(24rem,1fr));gap:1.5rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:var(--head);position:sticky;top:0} table.sortable th{cursor:pointer;user-select:none}
table.sortable th:after{content:"\\00a0\\2195";color:#9aa5ad;font-size:.8em} td.date{white-space:nowrap}
td.num,th.num{text-align:right}
.sev{padding:.1rem .45rem;border-radius:.3rem;white-space:nowrap;font-size:.85rem}
.sev-high{color:#fff;background:var(--high)} .sev-medium{background:var(--medium)} .sev-low{background:var(--line)}
.heat td.cell{text-align:center;min-width:4rem} .heat td.undeclared{outline:2px solid var(--high);outline-offset:-3px;font-weight:600}
.plus{color:#1b7f3b} .minus{color:var(--high)} .badge{font-size:.8rem;border:1px solid var(--line);border-radius:.3rem;
padding:0 .3rem;white-space:nowrap} .badge.warn{border-color:var(--high);color:var(--high)}
.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:.4rem 0}
.filters input,.filters select{font:inherit;padding:.3rem .5rem;border:1px solid #b8c2c9;border-radius:.3rem}
.filters input{min-width:18rem} .count{color:var(--muted);font-size:.88rem}
details{margin:.3rem 0} summary{cursor:pointer;color:var(--accent)} code{font-size:.85rem}
ul.changes{margin:.2rem 0 .8rem;padding-left:1.2rem} ul.changes li{margin:.15rem 0}
footer{color:var(--muted);font-size:.85rem;margin-top:2rem}
"""

JS = """
(function(){
  function cellValue(row, i){
    var c = row.cells[i]; if(!c){return "";}
    var v = c.getAttribute("data-sort"); if(v === null){v = c.textContent.trim();}
    var n = parseFloat(v); return (v !== "" && !isNaN(n) && /^-?[0-9.]+$/.test(v)) ? n : v.toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function(table){
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function(th, i){
      th.addEventListener("click", function(){
        var body = table.tBodies[0], asc = th.getAttribute("data-dir") !== "asc";
        Array.prototype.forEach.call(heads, function(h){h.removeAttribute("data-dir");});
        th.setAttribute("data-dir", asc ? "asc" : "desc");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function(a, b){
          var x = cellValue(a, i), y = cellValue(b, i);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
  document.querySelectorAll(".filters").forEach(function(box){
    var table = document.getElementById(box.getAttribute("data-table"));
    var count = box.querySelector(".count"), controls = box.querySelectorAll("input,select");
    function apply(){
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function(row){
        var ok = true;
        controls.forEach(function(c){
          var v = c.value.trim().toLowerCase(); if(!v){return;}
          var key = c.getAttribute("data-key");
          if(key){ ok = ok && row.getAttribute("data-" + key) === v; }
          else { ok = ok && row.textContent.toLowerCase().indexOf(v) >= 0; }
        });
        row.hidden = !ok; if(ok){shown++;}
      });
      if(count){count.textContent = shown + " / " + table.tBodies[0].rows.length + " " + count.getAttribute("data-word");}
    }
    controls.forEach(function(c){c.addEventListener("input", apply); c.addEventListener("change", apply);});
    apply();
  });
})();
"""


def _e(value) -> str:
    return escape(str(value if value is not None else ""))


def _table(headers: list[tuple[str, str]], rows: list[str], table_id: str = "", sortable: bool = True,
           cls: str = "") -> str:
    """A table with a head; `headers` are (label, css class) pairs, `rows` ready-made <tr> strings."""
    classes = " ".join(c for c in (cls, "sortable" if sortable else "") if c)
    head = "".join(f"<th class='{c}'>{_e(h)}</th>" for h, c in headers)
    ident = f" id='{table_id}'" if table_id else ""
    return f"<table{ident} class='{classes}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _severity(gap_severity: str, lang: str) -> str:
    return (f"<td data-sort='{SEVERITY_ORDER.get(gap_severity, 9)}'><span class='sev sev-{_e(gap_severity)}'>"
            f"{_e(SEVERITIES[lang].get(gap_severity, gap_severity))}</span></td>")


def _evidence(gap: Gap, lang: str, modified: dict) -> str:
    """The gap's evidence as a table; rows naming an item get its modification date unless they carry dates."""
    if not gap.evidence:
        return ""
    text = TEXT[lang]
    evidence = gap.evidence
    if not any("clock_started" in e or "modified" in e for e in evidence):
        evidence = [{**e, "modified": modified[e["location"]].date().isoformat()} if e.get("location") in modified
                    else e for e in evidence]
    keys = [k for k in EVIDENCE_ORDER if any(k in e for e in evidence)]
    keys += sorted({k for e in evidence for k in e} - set(keys) - {"score"})
    rows = ["<tr>" + "".join(f"<td>{_e(', '.join(v) if isinstance(v, list) else v)}</td>"
                             for v in (e.get(k, "") for k in keys)) + "</tr>" for e in evidence]
    total = max(gap.findings, gap.items)
    more = (f"<p class='meta'>… {text['and_more']} ({total} {text['in_total']})</p>"
            if len(gap.evidence) < total else "")
    table = _table([(text.get(k) or k.replace("_", " "), "") for k in keys], rows, sortable=False)
    return f"<details><summary>{text['evidence']} ({len(gap.evidence)})</summary>{table}{more}</details>"


def _mark_badge(mark: AppliedMark | None, lang: str) -> str:
    if not mark:
        return ""
    warn = " warn" if mark.effect != Effect.APPLIES else ""
    until = f" → {mark.until}" if mark.until else ""
    title = _e(mark.reason)
    return (f"<span class='badge{warn}' title='{title}'>{_e(STATUSES[lang].get(mark.status, mark.status))}"
            f"{_e(until)}: {_e(EFFECTS[lang].get(mark.effect, mark.effect))}</span>")


def _gap_rows(report: Report, gaps: list[Gap], lang: str, new_ids: set[str]) -> list[str]:
    text = TEXT[lang]
    systems = {s.id: s.name for s in report.register.systems}
    rows = []
    for g in gaps:
        new = f" <span class='badge warn'>{_e(text['new'])}</span>" if g.id in new_ids else ""
        rows.append(
            f"<tr data-kind='{_e(g.kind)}' data-severity='{_e(g.severity)}' data-id='{_e(g.id)}'>"
            f"{_severity(g.severity, lang)}<td>{_e(kind_label(g.kind, lang))}{new}</td>"
            f"<td><code>{_e(g.location)}</code></td>"
            f"<td>{_e(', '.join(category_label(c, lang) for c in g.categories))}</td>"
            f"<td class='num'>{g.items}</td><td class='num'>{g.findings}</td>"
            f"<td>{_e(gap_detail(g, lang, systems))}{_evidence(g, lang, report.modified)}</td>"
            f"<td><code>{_e(g.id)}</code> {_mark_badge(report.mark(Target.GAP, g.id), lang)}</td></tr>")
    return rows


def _gap_headers(lang: str) -> list[tuple[str, str]]:
    t = TEXT[lang]
    return [(t["severity"], ""), (t["kind"], ""), (t["location"], ""), (t["categories"], ""),
            (t["items"].capitalize(), "num"), (t["findings"].capitalize(), "num"), (t["description"], ""),
            (f"{t['id']} / {t['review']}", "")]


def _kinds(report: Report) -> list[str]:
    present = {g.kind for g in report.gaps}
    return list(KIND_ORDER) + sorted(present - set(KIND_ORDER))


def _summary_table(report: Report, lang: str) -> str:
    t, sev = TEXT[lang], SEVERITIES[lang]
    rows = []
    for kind in _kinds(report):
        counts = [sum(1 for g in report.gaps if g.kind == kind and g.severity == s) for s in sev]
        rows.append(f"<tr><td>{_e(kind_label(kind, lang))}</td>"
                    + "".join(f"<td class='num'>{n or ''}</td>" for n in counts)
                    + f"<td class='num'><b>{sum(counts)}</b></td></tr>")
    headers = [(t["kind"], "")] + [(label, "num") for label in sev.values()] + [(t["total"], "num")]
    return _table(headers, rows, sortable=False)


def _heatmap(report: Report, lang: str) -> str:
    t = TEXT[lang]
    found = {c for r in report.inventory for c in r.categories}
    categories = [c for c in CATEGORIES if c in found] + sorted(found - set(CATEGORIES))
    places = [r for r in report.inventory if r.categories]
    if not places:
        return f"<p>{t['none']}</p>"
    top = max(n for r in places for n in r.categories.values())
    rows = []
    for r in places:
        label = _e(r.place) + ("" if r.system else f" <span class='badge warn'>{_e(t['not_in_register'])}</span>")
        cells = []
        for c in categories:
            n = r.categories.get(c, 0)
            if not n:
                cells.append("<td class='cell'></td>")
                continue
            alpha = 0.12 + 0.78 * math.log1p(n) / math.log1p(top)
            colour = "#fff" if alpha > 0.55 else "inherit"
            undeclared = " undeclared" if c not in r.declared else ""
            cells.append(f"<td class='cell{undeclared}' style='background:rgba(31,95,139,{alpha:.2f});"
                         f"color:{colour}'>{n}</td>")
        rows.append(f"<tr><td>{label}</td>{''.join(cells)}</tr>")
    headers = [(t["place"], "")] + [(category_label(c, lang).split(" (")[0], "") for c in categories]
    return _table(headers, rows, sortable=False, cls="heat") + f"<p class='meta'>{_e(t['heatmap_note'])}</p>"


def _trend(diff: Diff | None, lang: str) -> str:
    t = TEXT[lang]
    if diff is None:
        return f"<p>{_e(t['no_previous'])}</p>"
    worse = {Change.NEW_GAPS, Change.NEW_FINDINGS, Change.LAPSED_MARKS}
    better = {Change.FIXED_GAPS, Change.GONE_FINDINGS}
    order = (Change.NEW_GAPS, Change.FIXED_GAPS, Change.OPEN_GAPS, Change.NEW_FINDINGS, Change.GONE_FINDINGS,
             Change.REMOVED_ITEMS, Change.ADDED_ITEMS, Change.NEW_MARKS, Change.LAPSED_MARKS)
    counts = [(c, len(diff.changes(c)), "minus" if c in worse else "plus" if c in better else "") for c in order]
    rows = [f"<tr><td><a href='#since-{key}'>{_e(t[key])}</a></td><td class='num {cls if n else ''}'>{n}</td></tr>"
            for key, n, cls in counts]
    return (f"<p class='meta'>{_e(t['compared_with'])} {diff.old.id} ({_e(diff.old.started[:16])})</p>"
            + _table([(t["change"], ""), (t["count"], "num")], rows, sortable=False))


def _since_previous(diff: Diff | None, lang: str) -> str:
    t = TEXT[lang]
    if diff is None:
        return f"<p>{_e(t['no_previous'])}</p>"

    def gap(g: Gap) -> str:
        cats = ", ".join(category_label(c, lang) for c in g.categories)
        return (f"<span class='sev sev-{_e(g.severity)}'>{_e(SEVERITIES[lang].get(g.severity, g.severity))}"
                f"</span> {_e(kind_label(g.kind, lang))}: <code>{_e(g.location)}</code> {_e(cats)} "
                f"<code>[{_e(g.id)}]</code>")

    def finding(f) -> str:
        where = f" ({_e(f.where)})" if f.where else ""
        return f"{_e(f.entity_type)} <b>{_e(f.masked)}</b> <code>{_e(f.location)}</code>{where}"

    def mark(m: AppliedMark) -> str:
        return _e(describe_mark(m, STATUSES[lang], EFFECTS[lang]))

    parts = []
    def path(s: str) -> str:
        return f"<code>{_e(s)}</code>"

    for key, line, sign in (
            (Change.REMOVED_ITEMS, path, "−"), (Change.ADDED_ITEMS, path, "+"),
            (Change.NEW_FINDINGS, finding, "+"), (Change.GONE_FINDINGS, finding, "−"),
            (Change.NEW_GAPS, gap, "+"), (Change.FIXED_GAPS, gap, "−"),
            (Change.NEW_MARKS, mark, "✓"), (Change.LAPSED_MARKS, mark, "!")):
        things = diff.changes(key)
        items = "".join(f"<li>{sign} {line(x)}</li>" for x in things[:MAX_CHANGES]) or f"<li>{_e(t['none'])}</li>"
        if len(things) > MAX_CHANGES:
            items += f"<li>… {_e(t['and_more'])} ({len(things)} {_e(t['in_total'])}: datakort diff)</li>"
        parts.append(f"<h3 id='since-{key}'>{_e(t[key])} ({len(things)})</h3><ul class='changes'>{items}</ul>")
    return f"<div class='grid'><div>{''.join(parts[:4])}</div><div>{''.join(parts[4:])}</div></div>"


def _inventory(report: Report, lang: str) -> str:
    t = TEXT[lang]

    def date_cell(value) -> str:
        return f"<td class='date'>{value.date().isoformat() if value else ''}</td>"

    rows = []
    for r in report.inventory:
        cats = ", ".join(f"{category_label(c, lang).split(' (')[0]} ({n})" for c, n in sorted(r.categories.items()))
        system = _e(r.system) if r.system else f"<span class='badge warn'>{_e(t['not_in_register'])}</span>"
        rows.append(f"<tr><td>{_e(r.place)}</td><td>{system}</td><td>{_e(cats)}</td>"
                    f"<td class='num'>{r.items}</td><td class='num'>{r.items_with_data}</td>"
                    f"<td class='num'>{r.findings}</td>{date_cell(r.oldest)}{date_cell(r.newest)}</tr>")
    headers = [(t["place"], ""), (t["system"], ""), (t["categories"], ""), (t["items"].capitalize(), "num"),
               (t["items_with_data"], "num"), (t["findings"].capitalize(), "num"), (t["oldest"], ""),
               (t["newest"], "")]
    return _table(headers, rows, table_id="inventory-table")


def _findings(report: Report, lang: str) -> str:
    t = TEXT[lang]
    rows = [f"<tr><td><code>{_e(f.location)}</code></td><td>{_e(f.where)}</td><td>{_e(f.entity_type)}</td>"
            f"<td>{_e(category_label(f.category, lang).split(' (')[0])}</td><td><b>{_e(f.masked)}</b></td>"
            f"<td class='num'>{f.score:.2f}</td><td><code>{_e(f.id)}</code> "
            f"{_mark_badge(report.mark(Target.FINDING, f.id), lang)}</td></tr>" for f in report.findings[:MAX_FINDINGS]]
    more = (f"<p class='meta'>{_e(t['findings_capped'].format(shown=MAX_FINDINGS, total=len(report.findings)))}</p>"
            if len(report.findings) > MAX_FINDINGS else "")
    headers = [(t["location"], ""), (t["where"], ""), (t["entity_type"], ""), (t["categories"], ""),
               (t["masked"], ""), ("Score", "num"), (f"{t['id']} / {t['review']}", "")]
    return (f"<div class='filters' data-table='findings-table'><input type='search' placeholder='{_e(t['filter'])} …' "
            f"aria-label='{_e(t['filter'])}'><span class='count' data-word='{_e(t['shown'])}'></span></div>"
            + more + _table(headers, rows, table_id="findings-table"))


def render_html(report: Report, lang: str = "da") -> str:
    """The whole report page as one string."""
    t, scan, stats = TEXT[lang], report.scan, report.scan.stats
    diff = report.diff
    new_ids = {g.id for g in diff.new_gaps} if diff else set()
    high = sum(1 for g in report.gaps if g.severity == Severity.HIGH)
    cards = [(len(report.gaps), t["gaps"], bool(report.gaps)), (high, SEVERITIES[lang]["high"], bool(high)),
             (len(diff.new_gaps) if diff else "–", t["new_gaps"], bool(diff and diff.new_gaps)),
             (len(diff.fixed_gaps) if diff else "–", t["fixed_gaps"], False),
             (stats.get("findings", 0), t["findings"].capitalize(), False),
             (len(report.hidden), t["reviewed"].split(" (")[0], False)]
    cards_html = "".join(f"<div class='card{' alert' if alert else ''}'><b>{_e(n)}</b><span>{_e(label)}</span></div>"
                         for n, label, alert in cards)
    kind_options = "".join(f"<option value='{_e(k)}'>{_e(kind_label(k, lang))}</option>" for k in _kinds(report))
    severity_options = "".join(f"<option value='{s}'>{_e(label)}</option>" for s, label in SEVERITIES[lang].items())
    filters = (f"<div class='filters' data-table='gaps-table'>"
               f"<input type='search' id='gap-filter' placeholder='{_e(t['filter'])} …' aria-label='{_e(t['filter'])}'>"
               f"<select id='kind-filter' data-key='kind' aria-label='{_e(t['kind'])}'>"
               f"<option value=''>{_e(t['all_kinds'])}</option>{kind_options}</select>"
               f"<select id='severity-filter' data-key='severity' aria-label='{_e(t['severity'])}'>"
               f"<option value=''>{_e(t['all_severities'])}</option>{severity_options}</select>"
               f"<span class='count' data-word='{_e(t['shown'])}'></span></div>")
    reviewed = (_table(_gap_headers(lang), _gap_rows(report, report.hidden, lang, set()), table_id="reviewed-table")
                if report.hidden else f"<p>{_e(t['none'])}</p>")
    sections = [("summary", t["summary"]), ("since-previous", t["since_previous"]), ("gaps", t["gaps"]),
                ("reviewed", t["reviewed"]), ("inventory", t["inventory"]), ("findings", t["all_findings"])]
    nav = "".join(f"<a href='#{key}'>{_e(label)}</a>" for key, label in sections)
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>datakort – {_e(t['title'])}</title><style>{CSS}</style></head><body><main>
<h1>{_e(t['title'])}: {_e(report.register.controller)}</h1>
<div class="meta">{_e(t['scan'])} {scan.id} {_e(t['of'])} <code>{_e(scan.root)}</code>, {_e(scan.started[:16])} ·
{_e(t['register_version'])} {_e(report.register.version)} · {_e(t['as_of'])} {report.as_of.isoformat()} ·
{stats.get('items', 0)} {_e(t['items'])}, {stats.get('analysed', 0)} {_e(t['analysed'])},
{stats.get('findings', 0)} {_e(t['findings'])}, {stats.get('could_not_inspect', 0)} {_e(t['could_not_inspect'])},
{stats.get('skipped', 0)} {_e(t['skipped'])}</div>
<nav>{nav}</nav>
<section id="summary"><h2>{_e(t['summary'])}</h2>{f"<p class='warning' style='border-left:4px solid #c60;background:#fff4e5;padding:.5rem .8rem'><b>⚠</b> {_e(report.coverage_warning)}</p>" if report.coverage_warning else ""}<div class="cards">{cards_html}</div>
<div class="grid"><div><h3>{_e(t['gaps_by_kind'])}</h3>{_summary_table(report, lang)}</div>
<div><h3>{_e(t['trend'])}</h3>{_trend(diff, lang)}</div></div>
<h3>{_e(t['heatmap'])}</h3>{_heatmap(report, lang)}</section>
<section id="since-previous"><h2>{_e(t['since_previous'])}</h2>{_since_previous(diff, lang)}</section>
<section id="gaps"><h2>{_e(t['gaps'])} ({len(report.gaps)})</h2><p class="meta">{_e(t['sort_hint'])}</p>{filters}
{_table(_gap_headers(lang), _gap_rows(report, report.gaps, lang, new_ids), table_id="gaps-table")}</section>
<section id="reviewed"><h2>{_e(t['reviewed'])} ({len(report.hidden)})</h2>{reviewed}</section>
<section id="inventory"><h2>{_e(t['inventory'])}</h2>{_inventory(report, lang)}</section>
<section id="findings"><h2>{_e(t['all_findings'])} ({len(report.findings)})</h2>{_findings(report, lang)}</section>
<footer>{_e(t['footer'])}</footer>
</main><script>{JS}</script></body></html>
"""


def write_html(path: Path, report: Report, lang: str = "da") -> Path:
    """Write report.html."""
    path.write_text(render_html(report, lang), encoding="utf-8")
    return path
