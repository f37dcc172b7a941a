"""report.html and summary.html: self-contained pages for the DPO (inline CSS and JS, no network), Danish or English.

report.html: summary first (gaps by kind and severity, a heat map of places x categories
coloured by risk, the trend since the previous scan), then what changed since the previous
scan, every open gap with its evidence (sortable, filterable), the reviewed gaps, the data map
and all findings. Tables scroll inside their own box, so the page holds from 1024 to 1920 px
and the ID column stays in view; printed, it gives the summary and the open gaps with their
evidence. summary.html is the one-page management summary (print it to PDF for the board).
Every word comes from the catalogue (labels.py, i18n.py). Masked values only.
"""
from __future__ import annotations

import re
from html import escape
from pathlib import Path

from detectors.categories import CATEGORIES, HIGH_RISK_CATEGORIES
from reports.gaps.diff import Change, Diff
from reports.gaps.findings import ITEM_FINDINGS
from reports.gaps.reconcile import KIND_ORDER, SEVERITY_ORDER, Gap, GapKind, Severity
from reports.gaps.reviews import AppliedMark, Effect, Target
from reports.render.labels import (EFFECTS, SEVERITIES, STATUSES, TARGETS, TEXT, category_short,
                                   clock_label, clock_source_text, coverage_warning_text, entity_label, gap_detail, kind_label,
                                   local_date, local_time, location_text, reason_text, where_text)
from reports.render.report import Report

MAX_FINDINGS = 2000   # rows of the findings table; all of them are in findings.csv and report.xlsx
MAX_CHANGES = 200     # lines per list of changes since the previous scan; all of them: `datakort diff`
MAX_HEAT_PLACES = 15  # rows of the heat map; the rest: "N more" (all are in the data map)
PRINT_EVIDENCE = 5    # evidence rows per gap on paper
EVIDENCE_ORDER = ("location", "where", "entity_type", "category", "masked", "modified", "clock", "clock_source",
                  "clock_started", "due", "days_overdue", "categories")

CSS = """
:root{--ink:#1d2329;--muted:#5b6770;--line:#dde3e8;--head:#f3f6f8;--high:#b3261e;--medium:#f4c542;--accent:#1f5f8b;
--risk-red:#c62828;--risk-orange:#ef8a17;--risk-grey:#cfd8dc}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--ink);background:#fff}
main{max-width:120rem;margin:0 auto;padding:1.2rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:0 0 .3rem} h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:2px solid var(--line);
padding-bottom:.2rem} h3{font-size:1rem;margin:1.2rem 0 .4rem}
.meta{color:var(--muted);font-size:.92rem} nav{margin:.8rem 0 0;font-size:.92rem} nav a{margin-right:1rem;color:var(--accent)}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.6rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.6rem} .card span{color:var(--muted);font-size:.85rem}
.card.alert b{color:var(--high)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(24rem,100%),1fr));gap:1.5rem}
.scroll{overflow:auto;max-width:100%;position:relative;border:1px solid var(--line);border-radius:.3rem;margin:.4rem 0 1rem}
.scroll.tall{max-height:80vh}
.scroll table{margin:0}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:var(--head);position:sticky;top:0;z-index:1} table.sortable th{cursor:pointer;user-select:none}
table.sortable th:after{content:"\\00a0\\2195";color:#9aa5ad;font-size:.8em} td.date{white-space:nowrap}
td.num,th.num{text-align:right}
td.id{white-space:nowrap} td.id code{user-select:all;-webkit-user-select:all}
td.loc{min-width:8rem;max-width:28rem;overflow-wrap:break-word} td.desc{min-width:15rem;width:45%;position:relative}
@media (max-width:1280px){main{padding:1rem}th,td{font-size:.82rem;padding:.3rem .35rem}}
.sev{padding:.1rem .45rem;border-radius:.3rem;white-space:nowrap;font-size:.85rem}
.sev-high{color:#fff;background:var(--high)} .sev-medium{background:var(--medium)} .sev-low{background:var(--line)}
.heat td.cell{text-align:center;min-width:4rem;font-weight:600}
.heat td.risk-red{background:var(--risk-red);color:#fff} .heat td.risk-orange{background:var(--risk-orange)}
.heat td.risk-grey{background:var(--risk-grey)}
.legend span{display:inline-block;width:.9rem;height:.9rem;border-radius:.2rem;vertical-align:middle;margin:0 .2rem 0 .6rem}
.plus{color:#1b7f3b} .minus{color:var(--high)} .badge{font-size:.8rem;border:1px solid var(--line);border-radius:.3rem;
padding:0 .3rem;white-space:nowrap} .badge.warn{border-color:var(--high);color:var(--high)}
.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:.4rem 0}
.filters input,.filters select{font:inherit;padding:.3rem .5rem;border:1px solid #b8c2c9;border-radius:.3rem}
.filters input{min-width:min(18rem,100%)} .count{color:var(--muted);font-size:.88rem}
input.toggle{position:absolute;opacity:0;width:1px;height:1px}
label.toggle{cursor:pointer;color:var(--accent);display:block;width:max-content;margin-top:.3rem}
label.toggle:before{content:"\\25B8\\00a0"} input.toggle:checked+label.toggle:before{content:"\\25BE\\00a0"}
input.toggle:focus-visible+label.toggle{outline:2px solid var(--accent)}
.evidence{display:none;max-height:22rem;width:100%;contain:inline-size;overflow:auto;border:1px solid var(--line);
margin-top:.3rem}
input.toggle:checked~.evidence{display:block}
.evidence table{margin:0;width:auto} .evidence td,.evidence th{font-size:.82rem;white-space:nowrap}
.print-only{display:none}
code{font-size:.85rem}
ul.changes{margin:.2rem 0 .8rem;padding-left:1.2rem} ul.changes li{margin:.15rem 0}
footer{color:var(--muted);font-size:.85rem;margin-top:2rem}
@media print{
  @page{size:A4 landscape;margin:10mm}
  body{font-size:9pt} main{max-width:none;padding:0}
  nav,.filters,.sort-hint,label.toggle,#since-previous,#reviewed,#inventory,#findings,.screen-only{display:none!important}
  .print-only{display:block}
  table.sortable th:after{content:none} th{position:static}
  .scroll,.scroll.tall,.evidence{overflow:visible;max-height:none;max-width:none;border:0;contain:none}
  .evidence{display:block!important}
  .evidence tbody tr:nth-child(n+PRINT_ROWS){display:none}
  td.loc{min-width:11rem;max-width:none} td.desc{min-width:0;max-width:none} th,td{font-size:8pt;padding:.15rem .3rem}
  code{font-size:inherit}
  tr{break-inside:avoid} h2{break-after:avoid;margin-top:1rem} .card{padding:.3rem .6rem} .card b{font-size:1.2rem}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .one-page{zoom:.78} .one-page h1{font-size:1.3rem}
}
""".replace("PRINT_ROWS", str(PRINT_EVIDENCE + 1))

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
           cls: str = "", scroll: str = "scroll") -> str:
    """A table with a head inside a box that scrolls; `headers` are (label, css class) pairs."""
    classes = " ".join(c for c in (cls, "sortable" if sortable else "") if c)
    head = "".join(f"<th class='{c}'>{_e(h)}</th>" for h, c in headers)
    ident = f" id='{table_id}'" if table_id else ""
    table = f"<table{ident} class='{classes}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f"<div class='{scroll}'>{table}</div>" if scroll else table


def _unmatched_marks(report: Report, lang: str) -> str:
    """The review marks that meet nothing in this scan, so a DPO sees them rather than losing them."""
    if not report.unmatched_marks:
        return ""
    t = TEXT[lang]
    rows = [f"<tr><td>{_e(TARGETS[lang].get(m.target, m.target))}</td><td><code>{_e(m.id)}</code></td>"
            f"<td>{_e(STATUSES[lang].get(m.status, m.status))}</td><td>{_e(m.reason)}</td><td>{_e(m.label)}</td></tr>"
            for m in report.unmatched_marks]
    headers = [(t["kind"], ""), (t["id"], ""), (t["status"], ""), (t["reason"], ""), (t["what"], "")]
    return (f"<h3 id='unmatched-marks'>{_e(t['unmatched_marks'])} ({len(report.unmatched_marks)})</h3>"
            f"<p>{_e(t['unmatched_marks_why'])}</p>" + _table(headers, rows, table_id="unmatched-marks-table"))


def _loc(location: str, lang: str) -> str:
    """A location to read: in the report's language, allowed to wrap after each `/` rather than mid-name."""
    return _e(location_text(location, lang)).replace("/", "/<wbr>")


def _severity(gap_severity: str, lang: str) -> str:
    return (f"<td data-sort='{SEVERITY_ORDER.get(gap_severity, 9)}'><span class='sev sev-{_e(gap_severity)}'>"
            f"{_e(SEVERITIES[lang].get(gap_severity, gap_severity))}</span></td>")


def _evidence_value(key: str, value, lang: str) -> str:
    """One evidence value as a person reads it: names instead of ids, Danish instead of English."""
    if key == "location":
        return location_text(value, lang)
    if key == "where":
        return where_text(value, lang)
    if key == "entity_type":
        return entity_label(value, lang)
    if key == "category":
        return category_short(value, lang)
    if key == "categories":
        return ", ".join(category_short(c, lang) for c in value)
    if key == "clock":
        return clock_label(value, lang)
    if key == "clock_source":
        return clock_source_text(value, lang)
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _evidence(gap: Gap, lang: str, modified: dict) -> str:
    """The gap's evidence as a table behind a toggle; rows naming an item get its modification date."""
    if not gap.evidence:
        return ""
    text = TEXT[lang]
    evidence = gap.evidence
    if not any("clock_started" in e or "modified" in e for e in evidence):
        evidence = [{**e, "modified": local_date(modified[e["location"]])} if e.get("location") in modified
                    else e for e in evidence]
    keys = [k for k in EVIDENCE_ORDER if any(k in e for e in evidence)]
    rows = ["<tr>" + "".join(f"<td>{_e(_evidence_value(k, e[k], lang) if k in e else '')}</td>" for k in keys)
            + "</tr>" for e in evidence]
    total = max(gap.findings, gap.items)
    more = (f"<p class='meta'>… {_e(text['and_more'])} ({total} {_e(text['in_total'])})</p>"
            if len(gap.evidence) < total else "")
    printed_more = (f"<p class='meta print-only'>… {_e(text['and_more'])} ({len(evidence)} "
                    f"{_e(text['in_total'])})</p>" if len(evidence) > PRINT_EVIDENCE else "")
    table = _table([(text.get(k) or k, "") for k in keys], rows, sortable=False, scroll="")
    box = f"ev-{_e(gap.id)}"
    return (f"<input type='checkbox' class='toggle' id='{box}'><label class='toggle' for='{box}'>"
            f"{_e(text['evidence'])} ({len(gap.evidence)})</label><div class='evidence'>{table}{more}</div>"
            f"{printed_more}")


def _mark_badge(mark: AppliedMark | None, lang: str) -> str:
    if not mark:
        return ""
    warn = " warn" if mark.effect != Effect.APPLIES else ""
    until = f" → {mark.until}" if mark.until else ""
    return (f"<span class='badge{warn}' title='{_e(mark.reason)}'>{_e(STATUSES[lang].get(mark.status, mark.status))}"
            f"{_e(until)}: {_e(EFFECTS[lang].get(mark.effect, mark.effect))}</span>")


def _describe(g: Gap, report: Report, lang: str, systems: dict[str, str]) -> str:
    """A gap's description; a could-not-inspect reason keeps the library's own words as a tooltip."""
    detail = _e(gap_detail(g, lang, systems, report.register))
    if g.kind == GapKind.COULD_NOT_INSPECT:
        technical = reason_text(g.detail, lang)[1]
        if technical:
            detail = f"<span title='{_e(TEXT[lang]['technical'])}: {_e(technical)}'>{detail}</span>"
    return detail


def _gap_rows(report: Report, gaps: list[Gap], lang: str, new_ids: set[str]) -> list[str]:
    text = TEXT[lang]
    systems = {s.id: s.name for s in report.register.systems}
    rows = []
    for g in gaps:
        new = f" <span class='badge warn'>{_e(text['new'])}</span>" if g.id in new_ids else ""
        rows.append(
            f"<tr data-kind='{_e(g.kind)}' data-severity='{_e(g.severity)}' data-id='{_e(g.id)}'>"
            f"<td class='id'><code>{_e(g.id)}</code> {_mark_badge(report.mark(Target.GAP, g.id), lang)}</td>"
            f"{_severity(g.severity, lang)}<td>{_e(kind_label(g.kind, lang))}{new}</td>"
            f"<td class='loc'><code>{_loc(g.location, lang)}</code></td>"
            f"<td>{_e(', '.join(category_short(c, lang) for c in g.categories))}</td>"
            f"<td class='num'>{g.items}</td><td class='num'>{g.findings}</td>"
            f"<td class='desc'>{_describe(g, report, lang, systems)}{_evidence(g, lang, report.modified)}</td></tr>")
    return rows


def _gap_headers(lang: str) -> list[tuple[str, str]]:
    t = TEXT[lang]
    return [(f"{t['id']} / {t['review']}", ""), (t["severity"], ""), (t["kind"], ""), (t["location"], ""),
            (t["categories"], ""), (t["items"].capitalize(), "num"), (t["findings"].capitalize(), "num"),
            (t["description"], "")]


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
    return _table(headers, rows, sortable=False, scroll="")


def natural_key(text: str) -> list:
    """Sort key putting `copy2` before `copy10`."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def _risk(report: Report, row, category: str) -> str:
    """A heat-map cell's risk: red (not in the register / contradicts it), orange (high-risk, declared), grey."""
    system = next((s for s in report.register.systems if s.id == row.system), None)
    if system is None or category not in row.declared or category in system.does_not_hold \
            or not report.register.is_declared(category):
        return "red"
    return "orange" if category in HIGH_RISK_CATEGORIES else "grey"


def _heatmap(report: Report, lang: str) -> str:
    t = TEXT[lang]
    found = {c for r in report.inventory for c in r.categories}
    categories = [c for c in CATEGORIES if c in found] + sorted(found - set(CATEGORIES))
    places = [r for r in report.inventory if r.categories]
    if not places:
        return f"<p>{_e(t['none'])}</p>"
    risk = {(id(r), c): _risk(report, r, c) for r in places for c in r.categories}

    def weight(r) -> tuple:  # the riskiest places are the ones kept when there are too many
        reds = sum(n for c, n in r.categories.items() if risk[(id(r), c)] == "red")
        oranges = sum(n for c, n in r.categories.items() if risk[(id(r), c)] == "orange")
        return (-reds, -oranges, -r.findings)

    shown = sorted(sorted(places, key=weight)[:MAX_HEAT_PLACES], key=lambda r: natural_key(r.place))
    rows = []
    for r in shown:
        label = _e(r.place) + ("" if r.system else f" <span class='badge warn'>{_e(t['not_in_register'])}</span>")
        cells = []
        for c in categories:
            n = r.categories.get(c, 0)
            cells.append(f"<td class='cell risk-{risk[(id(r), c)]}' data-risk='{risk[(id(r), c)]}'>{n}</td>"
                         if n else "<td class='cell'></td>")
        rows.append(f"<tr><td>{label}</td>{''.join(cells)}</tr>")
    if len(places) > len(shown):
        rows.append(f"<tr class='more'><td colspan='{len(categories) + 1}'>"
                    f"<a href='#inventory'>{_e(t['more_places'].format(n=len(places) - len(shown)))}</a></td></tr>")
    headers = [(t["place"], "")] + [(category_short(c, lang), "") for c in categories]
    legend = "".join(f"<span style='background:var(--risk-{k})'></span>" for k in ("red", "orange", "grey"))
    return (_table(headers, rows, sortable=False, cls="heat", table_id="heatmap")
            + f"<p class='meta legend'>{legend} {_e(t['heatmap_note'])}</p>")


def _trend(diff: Diff | None, lang: str) -> str:
    t = TEXT[lang]
    if diff is None:
        return f"<p>{_e(t['no_previous'])}</p>"
    worse = {Change.NEW_GAPS, Change.NEW_FINDINGS, Change.LAPSED_MARKS}
    better = {Change.FIXED_GAPS, Change.GONE_FINDINGS}
    order = (Change.NEW_GAPS, Change.FIXED_GAPS, Change.OPEN_GAPS, Change.NEW_FINDINGS, Change.GONE_FINDINGS,
             Change.REMOVED_ITEMS, Change.ADDED_ITEMS, Change.NEW_MARKS, Change.LAPSED_MARKS)
    counts = [(c, diff.count(c), "minus" if c in worse else "plus" if c in better else "") for c in order]
    rows = [f"<tr><td><a href='#since-{key}'>{_e(t[key])}</a></td><td class='num {cls if n else ''}'>{n}</td></tr>"
            for key, n, cls in counts]
    return (f"<p class='meta'>{_e(t['compared_with'])} {diff.old.id} ({_e(local_time(diff.old.started))})</p>"
            + _table([(t["change"], ""), (t["count"], "num")], rows, sortable=False, scroll=""))


def _since_previous(diff: Diff | None, lang: str) -> str:
    t = TEXT[lang]
    if diff is None:
        return f"<p>{_e(t['no_previous'])}</p>"

    def gap(g: Gap) -> str:
        cats = ", ".join(category_short(c, lang) for c in g.categories)
        return (f"<span class='sev sev-{_e(g.severity)}'>{_e(SEVERITIES[lang].get(g.severity, g.severity))}"
                f"</span> {_e(kind_label(g.kind, lang))}: <code>{_e(location_text(g.location, lang))}</code> "
                f"{_e(cats)} <code>[{_e(g.id)}]</code>")

    def finding(f) -> str:
        where = f" ({_e(where_text(f.where, lang))})" if f.where else ""
        return (f"{_e(entity_label(f.entity_type, lang))} <b>{_e(f.masked)}</b> "
                f"<code>{_e(location_text(f.location, lang))}</code>{where}")

    def mark(m: AppliedMark) -> str:
        until = f" → {m.until}" if m.until else ""
        reason = f": {_e(m.reason)}" if m.reason else ""
        return (f"{_e(STATUSES[lang].get(m.status, m.status))} ({_e(TARGETS[lang].get(m.target, m.target))}) "
                f"<code>[{_e(m.id)}]</code>{_e(until)}{reason} – {_e(EFFECTS[lang].get(m.effect, m.effect))}")

    def path(s: str) -> str:
        return f"<code>{_e(location_text(s, lang))}</code>"

    parts = []
    for key, line, sign in (
            (Change.REMOVED_ITEMS, path, "−"), (Change.ADDED_ITEMS, path, "+"),
            (Change.NEW_FINDINGS, finding, "+"), (Change.GONE_FINDINGS, finding, "−"),
            (Change.NEW_GAPS, gap, "+"), (Change.FIXED_GAPS, gap, "−"),
            (Change.NEW_MARKS, mark, "✓"), (Change.LAPSED_MARKS, mark, "!")):
        things = diff.changes(key)
        items = "".join(f"<li>{sign} {line(x)}</li>" for x in things[:MAX_CHANGES]) or f"<li>{_e(t['none'])}</li>"
        if diff.count(key) > MAX_CHANGES:
            items += f"<li>… {_e(t['and_more'])} ({diff.count(key)} {_e(t['in_total'])}: datakort diff)</li>"
        parts.append(f"<h3 id='since-{key}'>{_e(t[key])} ({diff.count(key)})</h3><ul class='changes'>{items}</ul>")
    return f"<div class='grid'><div>{''.join(parts[:4])}</div><div>{''.join(parts[4:])}</div></div>"


def _inventory(report: Report, lang: str) -> str:
    t = TEXT[lang]

    def date_cell(value) -> str:
        return f"<td class='date'>{local_date(value)}</td>"

    rows = []
    for r in sorted(report.inventory, key=lambda r: (r.system is None, [] if r.system else natural_key(r.place))):
        cats = ", ".join(f"{category_short(c, lang)} ({n})" for c, n in sorted(r.categories.items()))
        undeclared = ", ".join(category_short(c, lang) for c in r.undeclared())
        listed = _e(t["yes"]) if r.system else f"<span class='badge warn'>{_e(t['not_in_register'])}</span>"
        rows.append(f"<tr><td class='loc'>{_e(r.place)}</td><td>{listed}</td><td>{_e(cats)}</td>"
                    f"<td class='undeclared'>{_e(undeclared)}</td>"
                    f"<td class='num'>{r.items}</td><td class='num'>{r.items_with_data}</td>"
                    f"<td class='num'>{r.findings}</td>{date_cell(r.oldest)}{date_cell(r.newest)}</tr>")
    headers = [(t["place"], ""), (t["in_register"], ""), (t["categories"], ""), (t["undeclared_categories"], ""),
               (t["items"].capitalize(), "num"), (t["items_with_data"], "num"), (t["findings"].capitalize(), "num"),
               (t["oldest"], ""), (t["newest"], "")]
    return _table(headers, rows, table_id="inventory-table")


def _findings(report: Report, lang: str) -> str:
    t = TEXT[lang]
    rows = [f"<tr><td class='id'><code>{_e(f.id)}</code> {_mark_badge(report.mark(Target.FINDING, f.id), lang)}</td>"
            f"<td class='loc'><code>{_loc(f.location, lang)}</code></td>"
            f"<td>{_e(where_text(f.where, lang))}</td><td>{_e(entity_label(f.entity_type, lang))}</td>"
            f"<td>{_e(category_short(f.category, lang))}</td><td><b>{_e(f.masked)}</b></td>"
            f"<td class='num'>{f.score:.2f}</td></tr>" for f in report.findings[:MAX_FINDINGS]]
    more = (f"<p class='meta'>{_e(t['findings_capped'].format(shown=MAX_FINDINGS, total=len(report.findings)))}</p>"
            if len(report.findings) > MAX_FINDINGS else "")
    if report.not_listed:
        note = t["findings_not_listed"].format(files=len(report.not_listed), shown=ITEM_FINDINGS,
                                               count=sum(report.not_listed.values()))
        more += f"<p class='meta'>{_e(note)}</p>"
    headers = [(f"{t['id']} / {t['review']}", ""), (t["location"], ""), (t["where"], ""), (t["entity_type"], ""),
               (t["categories"], ""), (t["masked"], ""), (t["score"], "num")]
    return (f"<div class='filters' data-table='findings-table'><input type='search' placeholder='{_e(t['filter'])} …' "
            f"aria-label='{_e(t['filter'])}'><span class='count' data-word='{_e(t['shown'])}'></span></div>"
            + more + _table(headers, rows, table_id="findings-table", scroll="scroll tall"))


def _scan_line(report: Report, lang: str) -> str:
    """The line under the title: which scan of what, when, against which register, how much was read."""
    t, scan, stats = TEXT[lang], report.scan, report.scan.stats
    return (f"{_e(t['scan'])} {scan.id} {_e(t['of'])} <code>{_e(scan.root)}</code>, {_e(local_time(scan.started))} · "
            f"{_e(t['register_version'])} {_e(report.register.version)} · {_e(t['as_of'])} "
            f"{report.as_of.isoformat()} · {stats.get('items', 0)} {_e(t['items'])}, {stats.get('analysed', 0)} "
            f"{_e(t['analysed'])}, {report.finding_total} {_e(t['findings'])}, "
            f"{stats.get('could_not_inspect', 0)} {_e(t['could_not_inspect'])}, {stats.get('skipped', 0)} "
            f"{_e(t['skipped'])}")


def _page(lang: str, title: str, body: str, script: str = "") -> str:
    js = f"<script>{script}</script>" if script else ""
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>datakort – {_e(title)}</title><style>{CSS}</style></head><body><main>
{body}
</main>{js}</body></html>
"""


def render_html(report: Report, lang: str = "da") -> str:
    """The whole report page as one string."""
    t = TEXT[lang]
    diff = report.diff
    new_ids = {g.id for g in diff.new_gaps} if diff else set()
    high = sum(1 for g in report.gaps if g.severity == Severity.HIGH)
    cards = [(len(report.gaps), t["gaps"], bool(report.gaps)), (high, SEVERITIES[lang]["high"], bool(high)),
             (len(diff.new_gaps) if diff else "–", t["new_gaps"], bool(diff and diff.new_gaps)),
             (len(diff.fixed_gaps) if diff else "–", t["fixed_gaps"], False),
             (report.finding_total, t["findings"].capitalize(), False),
             (len(report.hidden), t["reviewed_short"], False)]
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
    nav += f"<a href='summary.html'>{_e(t['management_summary'])}</a>"
    body = f"""<h1>{_e(t['title'])}: {_e(report.register.controller)}</h1>
<div class="meta">{_scan_line(report, lang)}</div>
<nav>{nav}</nav>
<section id="summary"><h2>{_e(t['summary'])}</h2>{f"<p class='warning' style='border-left:4px solid #c60;background:#fff4e5;padding:.5rem .8rem'><b>⚠</b> {_e(coverage_warning_text(report.coverage_warning, lang))}</p>" if report.coverage_warning else ""}<div class="cards">{cards_html}</div>
<div class="grid"><div><h3>{_e(t['gaps_by_kind'])}</h3>{_summary_table(report, lang)}</div>
<div><h3>{_e(t['trend'])}</h3>{_trend(diff, lang)}</div></div>
<h3>{_e(t['heatmap'])}</h3>{_heatmap(report, lang)}</section>
<section id="since-previous"><h2>{_e(t['since_previous'])}</h2>{_since_previous(diff, lang)}</section>
<section id="gaps"><h2>{_e(t['gaps'])} ({len(report.gaps)})</h2><p class="meta sort-hint">{_e(t['sort_hint'])}</p>{filters}
{_table(_gap_headers(lang), _gap_rows(report, report.gaps, lang, new_ids), table_id="gaps-table")}</section>
<section id="reviewed"><h2>{_e(t['reviewed'])} ({len(report.hidden)})</h2>{reviewed}{_unmatched_marks(report, lang)}</section>
<section id="inventory"><h2>{_e(t['inventory'])}</h2>{_inventory(report, lang)}</section>
<section id="findings"><h2>{_e(t['all_findings'])} ({report.finding_total})</h2>{_findings(report, lang)}</section>
<footer>{_e(t['footer'])}</footer>"""
    return _page(lang, t["title"], body, JS)


def render_summary(report: Report, lang: str = "da", top: int = 6) -> str:
    """summary.html: one page for the board: the numbers, the most serious open gaps, what to do."""
    t = TEXT[lang]
    diff = report.diff
    high = [g for g in report.gaps if g.severity == Severity.HIGH]
    systems = {s.id: s.name for s in report.register.systems}
    cards = [(len(report.gaps), t["gaps"]), (len(high), t["open_high"]),
             (len(diff.new_gaps) if diff else "–", t["new_gaps"]),
             (len(diff.fixed_gaps) if diff else "–", t["fixed_gaps"]),
             (report.finding_total, t["findings"].capitalize())]
    cards_html = "".join(f"<div class='card'><b>{_e(n)}</b><span>{_e(label)}</span></div>" for n, label in cards)
    rows = [f"<tr>{_severity(g.severity, lang)}<td>{_e(kind_label(g.kind, lang))}</td>"
            f"<td class='loc'><code>{_loc(g.location, lang)}</code></td>"
            f"<td>{_e(gap_detail(g, lang, systems, report.register))}</td></tr>" for g in report.gaps[:top]]
    more = (f"<p class='meta'>… {_e(t['and_more'])} ({len(report.gaps)} {_e(t['in_total'])})</p>"
            if len(report.gaps) > top else "")
    headers = [(t["severity"], ""), (t["kind"], ""), (t["location"], ""), (t["description"], "")]
    body = f"""<div class="one-page"><h1>{_e(t['management_summary'])}: {_e(report.register.controller)}</h1>
<div class="meta">{_scan_line(report, lang)}</div>
<div class="cards">{cards_html}</div>
<h3>{_e(t['gaps_by_kind'])}</h3>{_summary_table(report, lang)}
<h3>{_e(t['top_gaps'])}</h3>{_table(headers, rows, sortable=False, scroll='')}{more}
<p class="meta">{_e(t['see_full_report'])}</p>
<footer>{_e(t['footer'])}</footer></div>"""
    return _page(lang, t["management_summary"], body)


def write_html(path: Path, report: Report, lang: str = "da") -> Path:
    """Write report.html."""
    path.write_text(render_html(report, lang), encoding="utf-8")
    return path


def write_summary(path: Path, report: Report, lang: str = "da") -> Path:
    """Write summary.html, the one-page management summary."""
    path.write_text(render_summary(report, lang), encoding="utf-8")
    return path
