"""Words the reports show people, in Danish (default) and English, from one catalogue (i18n.py).

The tables here hold the English source strings, marked with `N_` for the catalogue; the public
dictionaries (`TEXT`, `KINDS`, `SEVERITIES`, `STATUSES`, `EFFECTS`, `CLOCKS`, `ENTITIES`) map
each id to its words in both languages. Values the scanner records in English (where a finding
sits, why an item could not be read, which date starts a retention clock) are translated by
pattern here too, so a Danish report shows no English. Unknown gap kinds get a readable
fallback from their id, so a new kind from reconciliation appears in every report unchanged.
"""
from __future__ import annotations

import os
import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import format_decimal

from detectors.categories import CATEGORIES, NON_PERSONAL_CATEGORIES
from reports.render.i18n import LANGS, N_, gettext, translator

KIND_SOURCE = {
    "undeclared_location": N_("Location not in the register"),
    "undeclared_category": N_("Category not in the register"),
    "contradiction": N_("Contradicts the register"),
    "overdue": N_("Kept too long"),
    "could_not_inspect": N_("Could not inspect"),
    "declared_not_found": N_("In the register but not found"),
    "not_checked": N_("Not checked this time"),
    "not_scannable": N_("Not scannable"),
}
SEVERITY_SOURCE = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
STATUS_SOURCE = {"false_positive": N_("False positive"), "accepted": N_("Accepted"), "fixed": N_("Fixed")}
EFFECT_SOURCE = {"applies": N_("applies"), "expired": N_("expired – shown again"),
                 "changed": N_("data changed – shown again"), "still_present": N_("marked fixed, but still found")}
TARGET_SOURCE = {"gap": N_("gap"), "finding": N_("finding")}
# Retention clocks: which date starts the count (reports/register/model.py CLOCKS).
CLOCK_SOURCE = {"modified": N_("the file's modification date"), "created": N_("the document's creation date"),
                "sent": N_("the sent date"), "content": N_("a date written in the document"),
                "folder": N_("the newest activity in the folder")}
# Entity types of the recognisers (detectors/recognizers REGISTRY); a user's own keep their id.
ENTITY_SOURCE = {
    "DK_CPR": N_("CPR number"), "DK_PHONE": N_("Phone number"), "EMAIL_ADDRESS": N_("E-mail address"),
    "PERSON": N_("Name"), "DK_ADDRESS": N_("Address"), "DK_CVR": N_("CVR number"),
    "DK_BANK_ACCOUNT": N_("Bank account number"), "IBAN_CODE": N_("IBAN"), "DK_HEALTH": N_("Health data"),
    "DK_TRADE_UNION": N_("Trade union membership"), "DK_RELIGION": N_("Religious belief"),
    "DK_ETHNICITY": N_("Ethnic origin"), "DK_POLITICS": N_("Political opinion"),
    "DK_SEXUAL_ORIENTATION": N_("Sexual orientation"), "DK_CRIMINAL": N_("Criminal offence"),
    "DK_PERSONAL_DETAILS": N_("Personal details"), "PHOTO_OF_PERSON": N_("Photo of a person"),
    "BUSINESS_CARD_WITH_PHOTO": N_("Business card with photo"),
}
UNITS = {"years": N_("years"), "months": N_("months"), "days": N_("days")}

TEXT_SOURCE = {
    "title": N_("Gap report"), "scan": N_("Scan"), "of": N_("of"), "register_version": N_("register version"),
    "as_of": N_("as of"), "items": N_("items"), "analysed": N_("analysed"), "findings": N_("findings"),
    "could_not_inspect": N_("could not inspect"), "skipped": N_("skipped"),
    "summary": N_("Summary"), "gaps_by_kind": N_("Gaps by kind and severity"), "kind": N_("Kind"),
    "total": N_("Total"), "heatmap": N_("Risk by location and category"),
    "heatmap_note": N_("Numbers are findings. Colour is risk: red, the category is not in the register for the "
                       "location or contradicts it; orange, CPR, special-category or criminal data declared; "
                       "grey, declared."),
    "more_places": N_("{n} more locations: see the data map"),
    "trend": N_("Trend since the previous scan"), "no_previous": N_("No previous scan to compare with."),
    "new_gaps": N_("New gaps"), "fixed_gaps": N_("Fixed gaps"), "open_gaps": N_("Still open"),
    "new_findings": N_("New findings"), "gone_findings": N_("Findings gone"), "removed_items": N_("Items removed"),
    "added_items": N_("Items added"), "new_marks": N_("New review decisions"),
    "lapsed_marks": N_("Review decisions no longer applying"),
    "since_previous": N_("Since the previous scan"), "compared_with": N_("compared with scan"),
    "gaps": N_("Gaps"), "severity": N_("Severity"), "location": N_("Location"), "categories": N_("Categories"),
    "description": N_("Description"), "evidence": N_("Evidence"), "and_more": N_("and more"),
    "in_total": N_("in total"), "filter": N_("Filter"), "all_kinds": N_("All kinds"),
    "all_severities": N_("All severities"), "shown": N_("shown"), "review": N_("Review"),
    "reviewed": N_("Reviewed (hidden by a review decision)"),
    "inventory": N_("Data map (inventory of findings)"), "place": N_("System / folder"), "system": N_("System"),
    "not_in_register": N_("not in the register"), "items_with_data": N_("Items with personal data"),
    "oldest": N_("Oldest"), "newest": N_("Newest"), "all_findings": N_("All findings"), "entity_type": N_("Type"),
    "masked": N_("Masked value"), "where": N_("Where"), "id": N_("ID"), "reason": N_("Reason"),
    "until": N_("Until"), "status": N_("Status"), "effect": N_("Effect"), "none": N_("None."),
    "footer": N_("Values are masked; no personal data in clear text. Made by datakort."),
    "sort_hint": N_("Click a column heading to sort."),
    "reviewed_short": N_("Reviewed"), "inventory_short": N_("Data map"), "undeclared": N_("Not in the register"),
    "rule": N_("Rule"), "modified": N_("Modified"), "score": N_("Score"), "category": N_("Category"),
    "change": N_("Change"), "count": N_("Count"), "new": N_("New"),
    "clock": N_("Counted from"), "clock_source": N_("Date taken from"), "clock_started": N_("Deadline counted from"),
    "due": N_("Should have been deleted"), "days_overdue": N_("Days overdue"),
    "findings_capped": N_("Showing the first {shown} of {total} findings; all are in findings.csv and report.xlsx "
                          "(--format csv,xlsx)."),
    "findings_not_listed": N_("{files} file(s) hold more findings than a report lists: the first {shown} of each "
                              "are listed, {count} more are counted above but not listed. The workspace "
                              "(datakort serve) and datakort find have every one."),
    "all_gaps": N_("All gaps"), "cover": N_("Cover"), "share": N_("Share"), "started": N_("Started"),
    "finished": N_("Finished"), "register": N_("Register"), "controller": N_("Controller"),
    "coverage": N_("Coverage"), "technical": N_("Technical detail"), "findings_total": N_("Findings in total"),
    "occurrences": N_("occurrences"), "management_summary": N_("Management summary"),
    "open_high": N_("Open gaps with high severity"), "top_gaps": N_("The most serious open gaps"),
    "see_full_report": N_("The full report with all evidence: report.html"),
    "unmatched_marks": N_("Review marks that match nothing in this scan"),
    "unmatched_marks_why": N_("What they were made for is gone from the share, or the secret key changed (--new-key) so "
                              "findings cannot be recognised again: check them, and remove those no longer needed."),
    "what": N_("What"),
    "undeclared_categories": N_("Categories not in the register"), "in_register": N_("In the register"), "yes": N_("yes"), "no": N_("no"),
}


def _build(source: dict[str, str]) -> dict[str, dict[str, str]]:
    return {lang: {key: gettext(text, lang) for key, text in source.items()} for lang in LANGS}


TEXT = _build(TEXT_SOURCE)
KINDS = _build(KIND_SOURCE)
SEVERITIES = _build(SEVERITY_SOURCE)
STATUSES = _build(STATUS_SOURCE)
EFFECTS = _build(EFFECT_SOURCE)
TARGETS = _build(TARGET_SOURCE)
CLOCKS = _build(CLOCK_SOURCE)
ENTITIES = _build(ENTITY_SOURCE)


def kind_label(kind: str, lang: str) -> str:
    """The label of a gap kind; a readable form of the id for kinds this module does not know."""
    return KINDS[lang].get(kind) or kind.replace("_", " ").capitalize()


def category_label(category: str | None, lang: str) -> str:
    """A data category's name in the report's language (CVR's non-personal category included)."""
    labels = CATEGORIES.get(category) or NON_PERSONAL_CATEGORIES.get(category)
    return labels[LANGS.index(lang)] if labels else (category or "")


def category_short(category: str | None, lang: str) -> str:
    """A category's name without its explanation in brackets: `CPR-nummer`, `Kontaktoplysninger`."""
    return category_label(category, lang).split(" (")[0]


def categories_text(categories, lang: str) -> str:
    return ", ".join(category_short(c, lang) for c in categories)


def entity_label(entity_type: str, lang: str) -> str:
    """An entity type's name (`DK_CPR` -> `CPR-nummer`); a user's own recogniser keeps its id."""
    return ENTITIES[lang].get(entity_type, entity_type)


def clock_label(clock: str, lang: str) -> str:
    return CLOCKS[lang].get(clock, clock)


def duration_text(keep, lang: str) -> str:
    """`5 years` -> `5 år`."""
    amount, _, unit = str(keep).partition(" ")
    return f"{amount} {gettext(UNITS.get(unit, unit), lang)}"


# --- values the scanner records in English, translated by pattern -------------------------

# Where a finding sits inside an item: one pattern per part of "table 1, row 3, cell 2".
WHERE_PATTERNS = [(re.compile(rx), text) for rx, text in (
    (r"line (?P<n>\d+)", N_("line {n}")), (r"paragraph (?P<n>\d+)", N_("paragraph {n}")),
    (r"page (?P<n>\d+)", N_("page {n}")), (r"slide (?P<n>\d+) notes", N_("slide {n} notes")),
    (r"slide (?P<n>\d+)", N_("slide {n}")), (r"table row (?P<n>\d+)", N_("table row {n}")),
    (r"table (?P<n>\d+)", N_("table {n}")), (r"row (?P<n>\d+)", N_("row {n}")),
    (r"cell (?P<n>\d+)", N_("cell {n}")), (r"column (?P<name>.+)", N_("column {name}")),
    (r"image (?P<n>\d+)", N_("image {n}")), (r"image", N_("image")), (r"body", N_("body")),
    (r"notes", N_("notes")), (r"From", N_("From")), (r"To", N_("To")), (r"Subject", N_("Subject")),
    (r"comment (?P<n>\d+)", N_("comment {n}")), (r"text box (?P<n>\d+)", N_("text box {n}")),
    (r"attachment (?P<n>\d+)", N_("attachment {n}")), (r"message (?P<n>\d+)", N_("message {n}")),
    (r"header \(section (?P<n>\d+)\)", N_("header (section {n})")),
    (r"footer \(section (?P<n>\d+)\)", N_("footer (section {n})")),
    (r"first-page header \(section (?P<n>\d+)\)", N_("first-page header (section {n})")),
    (r"first-page footer \(section (?P<n>\d+)\)", N_("first-page footer (section {n})")),
    (r"even-page header \(section (?P<n>\d+)\)", N_("even-page header (section {n})")),
    (r"even-page footer \(section (?P<n>\d+)\)", N_("even-page footer (section {n})")),
)]

# Why an item could not be read: the readable part is translated, the library's own words
# (group `technical`) are kept apart, for a tooltip and the JSON, never as report text.
REASON_PATTERNS = [(re.compile(rx, re.DOTALL), text) for rx, text in (
    (r"damaged or not really an? (?P<kind>.+?) file \((?P<technical>.*)\)",
     N_("the file is damaged or not a real {kind} file")),
    (r"encrypted (?P<kind>.+?): it needs a password to open", N_("encrypted ({kind}): it needs a password to open")),
    (r"encrypted Outlook data file: (?P<technical>.*)", N_("encrypted Outlook data file")),
    (r"empty file \(0 bytes\)", N_("empty file (0 bytes)")),
    (r"too large to read in memory", N_("too large to read in memory")),
    (r"too large to read: (?P<technical>.*)", N_("too large to read")),
    (r"too much memory: (?P<technical>.*)", N_("reading it took too much memory (raise --memory-limit to try "
                                                "again)")),
    (r"timed out after (?P<s>[\d.]+) s.*", N_("timed out after {s} s (the file may be damaged or built to stall "
                                              "readers)")),
    (r"the reader was killed by the system.*", N_("the reader was stopped by the system (out of memory?)")),
    (r"not really a picture.*?\((?P<technical>.*)\)", N_("not a picture, or a picture format this version cannot "
                                                          "read")),
    (r"damaged picture file \((?P<technical>.*)\)", N_("damaged picture file")),
    (r"damaged zip member \((?P<technical>.*)\)", N_("damaged member of a zip file")),
    (r"damaged attachment in the \.pst \((?P<technical>.*)\)", N_("damaged attachment in the Outlook data file")),
    (r"damaged PDF: (?P<technical>.*)", N_("damaged PDF file")),
    (r"not really a PDF file.*", N_("not a real PDF file")),
    (r"not an Outlook item extract-msg can read \((?P<technical>.*)\)", N_("not an Outlook item this version can "
                                                                         "read")),
    (r"old Word \(\.doc\) files need (?P<technical>.*)", N_("old Word (.doc) files need LibreOffice or antiword "
                                                            "installed")),
    (r"(?P<tool>\S+) took more than (?P<s>\d+) s to read it", N_("{tool} took more than {s} s to read it")),
    (r"(?P<tool>\S+) could not read it(?P<technical>.*)", N_("{tool} could not read it")),
    (r"(?P<kind>.+?) has (?P<n>[\d,]+) members, more than the limit of (?P<limit>[\d,]+)",
     N_("{kind} has {n} members, more than the limit of {limit}")),
    (r"nested more than (?P<n>\d+) containers deep", N_("nested more than {n} containers deep")),
    (r"stopped reading the contents half-way(?P<technical>.*)", N_("stopped reading the contents half-way")),
    (r"the file cannot be read: (?P<technical>.*)", N_("the file cannot be read")),
    (r"folder cannot be listed: (?P<technical>.*)", N_("the folder cannot be listed")),
    (r"cannot read file information: (?P<technical>.*)", N_("cannot read the file's information")),
    (r"cannot open the file on the share: (?P<technical>.*)", N_("cannot open the file on the share")),
    (r"symbolic link, not followed", N_("symbolic link, not followed")),
    (r"not a regular file.*", N_("not a regular file (device, socket or pipe)")),
    (r"file type (?P<suffix>\S+) is not read by this version", N_("file type {suffix} is not read by this version")),
    (r"the Dask worker could not inspect it \((?P<technical>.*)\)", N_("the cluster worker could not read it")),
    (r"unexpected error while reading \((?P<technical>.*)\)", N_("unexpected error while reading")),
)]
UNKNOWN_REASON = N_("could not be read")

CLOCK_SOURCE_PATTERNS = [(re.compile(rx), text) for rx, text in (
    (r"newest activity in the folder: (?P<location>.+)", N_("the newest activity in the folder: {location}")),
    (r"modified \(the file is not inside a folder of its own\)",
     N_("the file's modification date (the file is not inside a folder of its own)")),
    (r"modified \(no (?P<clock>\w+) date\)", N_("the file's modification date (missing: {clock})")),
)]


def _by_pattern(text: str, patterns, lang: str) -> tuple[str, dict] | None:
    for regex, message in patterns:
        m = regex.fullmatch(text)
        if m:
            return gettext(message, lang), m.groupdict()
    return None


_MORE_WHERES = re.compile(r" … \(\+\d+\)$")


def where_text(where: str, lang: str) -> str:
    """Where a finding sits, in the report's language: `row 2, column Navn` -> `række 2, kolonne Navn`."""
    if not where:
        return ""
    more = _MORE_WHERES.search(where)  # `row 2, row 9 … (+40)`: the first places, and how many more (FindingRow)
    if more:
        return where_text(where[:more.start()], lang) + more.group()
    parts = []
    for part in where.split(", "):
        ocr = part.endswith(" (OCR)")
        base = part[:-len(" (OCR)")] if ocr else part
        found = _by_pattern(base, WHERE_PATTERNS, lang)
        text = found[0].format(**found[1]) if found else base  # `Ark1!C7` and the like stay as they are
        parts.append(text + (" (OCR)" if ocr else ""))
    return ", ".join(parts)


def reason_text(reason: str | None, lang: str) -> tuple[str, str]:
    """Why an item could not be read, in the report's language, and the library's own words apart."""
    reason = (reason or "").strip()
    found = _by_pattern(reason, REASON_PATTERNS, lang)
    if found is None:
        return gettext(UNKNOWN_REASON, lang), reason
    message, groups = found
    technical = (groups.pop("technical", None) or "").strip(" ():")
    return message.format(**{k: v or "" for k, v in groups.items()}), technical


NO_DATE = N_("(no date)")


def location_text(location: str, lang: str) -> str:
    """A location for reading: a message without a date says so in the report's language."""
    return location.replace("(no date)", gettext(NO_DATE, lang)) if lang != "en" else location


def clock_source_text(source: str, lang: str) -> str:
    """Which date started a retention clock: `sent`, `newest activity in the folder: …`."""
    if source in CLOCK_SOURCE:
        return clock_label(source, lang)
    found = _by_pattern(source, CLOCK_SOURCE_PATTERNS, lang)
    if not found:
        return source
    message, groups = found
    if "clock" in groups:
        groups["clock"] = clock_label(groups["clock"], lang)
    if "location" in groups:
        groups["location"] = location_text(groups["location"], lang)
    return message.format(**groups)


# --- the description of a gap ---------------------------------------------------------------

DETAILS = {
    "undeclared_location": N_("Personal data ({categories}) in {items} item(s) in a folder that no system in the "
                              "register covers"),
    "undeclared_category": N_("{category} found in {items} item(s) in {system}, but the category is not in the "
                              "register for the system"),
    "undeclared_category_register": N_("{category} found in {items} item(s) in {system}, but the register does not "
                                       "declare the category at all"),
    "contradiction": N_("The register says that {system} does not hold {category}, but {items} item(s) there do"),
    "overdue": N_("{items} item(s) kept longer than {keep} under the rule “{rule}”, counted from {clock}; the "
                  "oldest from {oldest}, {days} days overdue"),
    "not_scannable": N_("{system}: the scanner cannot reach it; check it by hand (declared to hold: {holds})"),
    "not_scannable_paths": N_("{system}: the register names no folders (paths) for it; check it by hand (declared "
                              "to hold: {holds})"),
    "declared_not_found": N_("The register places {system} at {where}, but the scan found no file there: the folder "
                             "may have moved, or the register is out of date"),
    "declared_not_found_category": N_("The register declares {category}, but the scan found none anywhere: is the "
                                      "register out of date, or is the data kept somewhere not scanned?"),
    "not_checked": N_("{system} ({where}) was not checked this time: folders there could not be read"),
    "not_checked_category": N_("The register declares {category}; the scan found none in what it could read, but "
                               "{folders} folder(s) could not be read"),
}
NOTHING = N_("nothing")


def gap_detail(gap, lang: str, system_names: dict[str, str], register=None) -> str:
    """The gap's description in the report's language, from the gap's own fields.

    `register` (optional) gives an overdue gap its rule's own wording and period; kinds this
    module does not know keep reconciliation's description."""
    _ = translator(lang)
    kind = str(gap.kind)
    system = system_names.get(gap.system or "", gap.system or "")
    values = {"categories": categories_text(gap.categories, lang), "items": gap.items, "system": system,
              "category": category_short(gap.category, lang), "holds": categories_text(gap.categories, lang)
              or _(NOTHING), "where": gap.location}
    if kind == "could_not_inspect":
        reason = reason_text(gap.detail, lang)[0]
        return reason[:1].upper() + reason[1:]
    if kind == "undeclared_category" and "not declared in the register" in gap.detail:
        kind = "undeclared_category_register"
    elif kind == "not_scannable" and "names no folders" in gap.detail:
        kind = "not_scannable_paths"
    elif kind == "declared_not_found" and gap.system is None:
        kind = "declared_not_found_category"
    elif kind == "not_checked" and gap.system is None:
        kind = "not_checked_category"
        values["folders"] = (re.search(r"(\d+) folder\(s\) could not be read", gap.detail) or [None, "?"])[1]
    elif kind == "overdue":
        rule = next((r for r in (register.retention if register else []) if r.id == gap.rule), None)
        keep = rule.keep if rule else (re.search(r"longer than (\d+ \w+)", gap.detail) or [None, "?"])[1]
        started = [e for e in gap.evidence if e.get("clock_started")]
        oldest = min(started, key=lambda e: e["clock_started"]) if started else {}
        clock = rule.clock if rule else (oldest.get("clock") or "")
        values.update(keep=duration_text(keep, lang), rule=(rule.rule if rule and rule.rule else gap.rule or ""),
                      clock=clock_label(clock, lang), oldest=oldest.get("clock_started", "?"),
                      days=oldest.get("days_overdue", "?"))
    template = DETAILS.get(kind)
    return _(template).format(**values) if template else gap.detail


# --- what a scan could not see --------------------------------------------------------------

COVERAGE_DROP = N_("this scan saw much less than scan {scan} of the same folder ({drops}): is part of the share "
                   "missing (not mounted, permissions changed)? What was not seen is not fixed")
COVERAGE_DROP_WHAT = {"items": N_("items {before} → {now}"), "readable folders": N_("readable folders {before} → {now}")}
COVERAGE_UNREADABLE = N_("{n} folder(s) could not be read ({folders}): what lies there was not checked this time")
AND_MORE = N_("{shown} and {n} more")


def number_text(n: int, lang: str) -> str:
    """A count with the language's thousands separator: 12,345 or 12.345."""
    return format_decimal(n, locale="da_DK" if lang == "da" else "en_GB")


def coverage_warning_text(warning, lang: str) -> str:
    """A CoverageWarning (reports/gaps/coverage.py) as one sentence in `lang`."""
    _ = translator(lang)
    notes = []
    if warning.drops:
        drops = "; ".join(_(COVERAGE_DROP_WHAT[d.what]).format(before=number_text(d.before, lang),
                                                               now=number_text(d.now, lang)) for d in warning.drops)
        notes.append(_(COVERAGE_DROP).format(scan=warning.last_scan, drops=drops))
    if warning.unreadable:
        shown = ", ".join(warning.unreadable[:5])
        if len(warning.unreadable) > 5:
            shown = _(AND_MORE).format(shown=shown, n=len(warning.unreadable) - 5)
        notes.append(_(COVERAGE_UNREADABLE).format(n=len(warning.unreadable), folders=shown))
    return "; ".join(notes)


# --- time -----------------------------------------------------------------------------------

def local_zone() -> ZoneInfo:
    """The zone reports show times in: $DATAKORT_TZ, else Europe/Copenhagen."""
    try:
        return ZoneInfo(os.environ.get("DATAKORT_TZ") or "Europe/Copenhagen")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Copenhagen")


def local_date(value: datetime | None) -> str:
    """The local calendar day of a timestamp: `2026-11-28`."""
    if not value:
        return ""
    return (value.astimezone(local_zone()) if value.tzinfo else value).date().isoformat()


def local_time(value: str | datetime | None) -> str:
    """A stored UTC timestamp as local time with its zone: `2026-11-28 22:44 CET`."""
    if not value:
        return ""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo("UTC"))
    return when.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M %Z")
