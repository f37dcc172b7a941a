"""Words the reports show people, in Danish (default) and English.

Unknown gap kinds get a readable fallback from their id, so a new kind from reconciliation
appears in every report without a change here.
"""
from __future__ import annotations

from detectors.categories import CATEGORIES, NON_PERSONAL_CATEGORIES

LANGS = ("da", "en")

KINDS = {
    "da": {"undeclared_location": "Ikke-anmeldt placering", "undeclared_category": "Ikke-anmeldt kategori",
           "contradiction": "Modstrid med fortegnelsen", "overdue": "Opbevaret for længe",
           "could_not_inspect": "Kunne ikke undersøges", "declared_not_found": "Anmeldt, men ikke fundet",
           "not_checked": "Ikke undersøgt denne gang", "not_scannable": "Kan ikke skannes"},
    "en": {"undeclared_location": "Undeclared location", "undeclared_category": "Undeclared category",
           "contradiction": "Contradicts the register", "overdue": "Kept too long",
           "could_not_inspect": "Could not inspect", "declared_not_found": "Declared but not found",
           "not_checked": "Not checked this time", "not_scannable": "Not scannable"},
}
SEVERITIES = {"da": {"high": "Høj", "medium": "Middel", "low": "Lav"},
              "en": {"high": "High", "medium": "Medium", "low": "Low"}}
STATUSES = {"da": {"false_positive": "Falsk positiv", "accepted": "Accepteret", "fixed": "Rettet"},
            "en": {"false_positive": "False positive", "accepted": "Accepted", "fixed": "Fixed"}}
EFFECTS = {"da": {"applies": "gælder", "expired": "udløbet – vises igen", "changed": "data ændret – vises igen",
                  "still_present": "markeret rettet, men findes stadig"},
           "en": {"applies": "applies", "expired": "expired – shown again", "changed": "data changed – shown again",
                  "still_present": "marked fixed, but still found"}}

TEXT = {
    "da": {
        "title": "Afvigelsesrapport", "scan": "Skanning", "of": "af", "register_version": "fortegnelse version",
        "as_of": "opgjort pr.", "items": "elementer", "analysed": "undersøgt", "findings": "fund",
        "could_not_inspect": "kunne ikke undersøges", "skipped": "sprunget over",
        "summary": "Overblik", "gaps_by_kind": "Afvigelser efter type og alvor", "kind": "Type", "total": "I alt",
        "heatmap": "Fund pr. placering og kategori", "heatmap_note":
            "Tallene er fund; rød kant: kategorien er ikke anmeldt for placeringen.",
        "trend": "Udvikling siden forrige skanning", "no_previous": "Ingen tidligere skanning at sammenligne med.",
        "new_gaps": "Nye afvigelser", "fixed_gaps": "Løste afvigelser", "open_gaps": "Stadig åbne",
        "new_findings": "Nye fund", "gone_findings": "Forsvundne fund", "removed_items": "Fjernede elementer",
        "added_items": "Nye elementer", "new_marks": "Nye gennemgangsmærker",
        "lapsed_marks": "Mærker der ikke længere gælder",
        "since_previous": "Siden forrige skanning", "compared_with": "sammenlignet med skanning",
        "gaps": "Afvigelser", "severity": "Alvor", "location": "Placering", "categories": "Kategorier",
        "description": "Beskrivelse", "evidence": "Beviser", "and_more": "og flere", "in_total": "i alt",
        "filter": "Filtrér", "all_kinds": "Alle typer", "all_severities": "Alle alvorsgrader",
        "shown": "vist", "review": "Gennemgang", "reviewed": "Gennemgåede (skjult af et mærke)",
        "inventory": "Datakort (fortegnelse over fund)", "place": "System / mappe", "system": "System",
        "not_in_register": "ikke i fortegnelsen", "items_with_data": "Elementer med personoplysninger",
        "oldest": "Ældste", "newest": "Nyeste", "all_findings": "Alle fund", "entity_type": "Type",
        "masked": "Maskeret værdi", "where": "Hvor", "id": "ID", "reason": "Begrundelse", "until": "Indtil",
        "status": "Status", "effect": "Virkning", "none": "Ingen.",
        "footer": "Værdier er maskerede; ingen personoplysninger i klartekst. Lavet af datakort.",
        "sort_hint": "Klik på en kolonneoverskrift for at sortere.",
        "reviewed_short": "Gennemgåede", "inventory_short": "Datakort", "undeclared": "Ikke anmeldt",
        "rule": "Regel", "modified": "Ændret", "score": "Sikkerhed", "category": "Kategori", "change": "Ændring", "count": "Antal", "new": "Ny",
        "clock": "Ur", "clock_source": "Urets dato fra", "clock_started": "Uret startede", "due": "Skulle være slettet", "days_overdue": "Dage for sent",
        "findings_capped": "Viser de første {shown} af {total} fund; alle står i findings.csv og report.xlsx "
                           "(--format csv,xlsx).",
    },
    "en": {
        "title": "Gap report", "scan": "Scan", "of": "of", "register_version": "register version",
        "as_of": "as of", "items": "items", "analysed": "analysed", "findings": "findings",
        "could_not_inspect": "could not inspect", "skipped": "skipped",
        "summary": "Summary", "gaps_by_kind": "Gaps by kind and severity", "kind": "Kind", "total": "Total",
        "heatmap": "Findings by location and category", "heatmap_note":
            "Numbers are findings; red border: the category is not declared for the location.",
        "trend": "Trend since the previous scan", "no_previous": "No previous scan to compare with.",
        "new_gaps": "New gaps", "fixed_gaps": "Fixed gaps", "open_gaps": "Still open",
        "new_findings": "New findings", "gone_findings": "Findings gone", "removed_items": "Items removed",
        "added_items": "Items added", "new_marks": "New review marks", "lapsed_marks": "Marks no longer applying",
        "since_previous": "Since the previous scan", "compared_with": "compared with scan",
        "gaps": "Gaps", "severity": "Severity", "location": "Location", "categories": "Categories",
        "description": "Description", "evidence": "Evidence", "and_more": "and more", "in_total": "in total",
        "filter": "Filter", "all_kinds": "All kinds", "all_severities": "All severities",
        "shown": "shown", "review": "Review", "reviewed": "Reviewed (hidden by a mark)",
        "inventory": "Data map (inventory of findings)", "place": "System / folder", "system": "System",
        "not_in_register": "not in the register", "items_with_data": "Items with personal data",
        "oldest": "Oldest", "newest": "Newest", "all_findings": "All findings", "entity_type": "Type",
        "masked": "Masked value", "where": "Where", "id": "ID", "reason": "Reason", "until": "Until",
        "status": "Status", "effect": "Effect", "none": "None.",
        "footer": "Values are masked; no personal data in clear text. Made by datakort.",
        "sort_hint": "Click a column heading to sort.",
        "reviewed_short": "Reviewed", "inventory_short": "Data map", "undeclared": "Undeclared",
        "rule": "Rule", "modified": "Modified", "score": "Score", "category": "Category", "change": "Change", "count": "Count", "new": "New",
        "clock": "Clock", "clock_source": "Clock date from", "clock_started": "Clock started", "due": "Due", "days_overdue": "Days overdue",
        "findings_capped": "Showing the first {shown} of {total} findings; all are in findings.csv and report.xlsx "
                           "(--format csv,xlsx).",
    },
}


# Danish descriptions of the known gap kinds, from the Gap's own fields; reconciliation's
# `detail` (English) is used for English and for kinds not listed here.
DETAILS_DA = {
    "undeclared_location": "Personoplysninger ({categories}) i {items} element(er) i en mappe, som intet system "
                           "i fortegnelsen dækker",
    "undeclared_category": "{category} fundet i {items} element(er) i {system}, men kategorien er ikke anmeldt "
                           "for systemet",
    "contradiction": "Fortegnelsen siger, at {system} ikke indeholder {category}, men {items} element(er) gør",
    "overdue": "{items} element(er) opbevaret længere end regel {rule} tillader; det ældste ur startede {oldest}",
}


def gap_detail(gap, lang: str, system_names: dict[str, str]) -> str:
    """The gap's description in the report's language."""
    template = DETAILS_DA.get(gap.kind) if lang == "da" else None
    if template is None:
        return gap.detail
    return template.format(categories=", ".join(category_label(c, lang).split(" (")[0] for c in gap.categories),
                           category=category_label(gap.category, lang).split(" (")[0], items=gap.items,
                           system=system_names.get(gap.system or "", gap.system or ""), rule=gap.rule or "",
                           oldest=min((str(e["clock_started"]) for e in gap.evidence if e.get("clock_started")),
                                      default="?"))


def kind_label(kind: str, lang: str) -> str:
    """The label of a gap kind; a readable form of the id for kinds this module does not know."""
    return KINDS[lang].get(kind) or kind.replace("_", " ").capitalize()


def category_label(category: str | None, lang: str) -> str:
    """A data category's name in the report's language (CVR's non-personal category included)."""
    labels = CATEGORIES.get(category) or NON_PERSONAL_CATEGORIES.get(category)
    return labels[LANGS.index(lang)] if labels else (category or "")
