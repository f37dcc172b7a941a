"""Retention clocks (file, message, folder, content date), register-level gaps and stable gap ids."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.gaps.reconcile import reconcile
from reports.register.load import parse_register
from scanner.extract.dates import content_date, labelled_dates
from scanner.model import Finding, ItemResult, Segment

AS_OF = date(2026, 11, 1)
REGISTER = parse_register({
    "format": "datakort-register/1",
    "categories": {"contact": {"declared": True}, "cpr": {"declared": True}, "biometric": {"declared": True}},
    "systems": [
        {"id": "kunder", "name": "Kundemapper", "paths": ["Kunder/**"], "holds": ["contact", "biometric"]},
        {"id": "mail", "name": "Outlook", "paths": ["Mail/**"], "holds": ["contact"]},
        {"id": "crm", "name": "CRM (cloud)", "scannable": False, "holds": ["contact"]},
        {"id": "hr", "name": "HR-drev", "holds": ["cpr"]},
    ],
    "retention": [
        {"id": "tidligere", "applies_to": {"paths": ["Kunder/Tidligere/**"]}, "keep": "5 years", "clock": "folder"},
        {"id": "mails", "applies_to": {"systems": ["mail"]}, "keep": "2 years", "clock": "sent"},
        {"id": "ordrer", "applies_to": {"paths": ["Kunder/Aktive/**/Ordre*"]}, "keep": "5 years", "clock": "content"},
    ],
})


def at(y, m=1, d=1):
    return datetime(y, m, d, tzinfo=timezone.utc)


def item(location, *categories, mtime=at(2026), **dates):
    return ItemResult(location, None, 10, mtime, dates=dates,
                      findings=[Finding("X", c, 0.9, "xx", f"h{n}") for n, c in enumerate(categories)])


def overdue(gaps, rule):
    return {g.location: g for g in gaps if g.kind == "overdue" and g.rule == rule}


def test_folder_clock_counts_from_the_newest_activity_in_the_folder():
    items = [item("Kunder/Tidligere/A/kontakter.xlsx", "contact", mtime=at(2018)),
             item("Kunder/Tidligere/A/Sager/reklamation.txt", mtime=at(2024, 3, 1)),  # no personal data, but activity
             item("Kunder/Tidligere/B/kontakter.xlsx", "contact", mtime=at(2018)),
             item("Kunder/Tidligere/B/Sager/noter.txt", "contact", mtime=at(2019, 6, 1))]
    gaps = overdue(reconcile(REGISTER, items, AS_OF), "tidligere")
    assert list(gaps) == ["Kunder/Tidligere/B"]
    evidence = gaps["Kunder/Tidligere/B"].evidence
    assert {e["clock_started"] for e in evidence} == {"2019-06-01"}
    assert {e["days_overdue"] for e in evidence} == {(AS_OF - date(2024, 6, 1)).days}
    assert evidence[0]["clock_source"] == "newest activity in the folder: Kunder/Tidligere/B/Sager/noter.txt"
    assert gaps["Kunder/Tidligere/B"].items == 2


def test_message_clock_uses_the_sent_date_and_says_when_it_fell_back():
    items = [item("Mail/2019.mbox › 1 \"Tilbud\"", "contact", mtime=at(2026), sent=at(2019, 5, 1)),
             item("Mail/2025.mbox › 2 \"Ordre\"", "contact", mtime=at(2026), sent=at(2025, 5, 1)),
             item("Mail/løs.msg", "contact", mtime=at(2020))]
    [gap] = overdue(reconcile(REGISTER, items, AS_OF), "mails").values()
    assert gap.location == "Mail"
    by_location = {e["location"]: e for e in gap.evidence}
    assert set(by_location) == {"Mail/2019.mbox › 1 \"Tilbud\"", "Mail/løs.msg"}
    assert by_location["Mail/2019.mbox › 1 \"Tilbud\""]["clock_source"] == "sent"
    assert by_location["Mail/løs.msg"]["clock_source"] == "modified (no sent date)"


def test_content_clock_counts_from_the_date_written_in_the_document():
    copied_recently = item("Kunder/Aktive/A/Ordre 1.pdf", "contact", mtime=at(2026, 10, 1), content=at(2020, 3, 4))
    recent_order = item("Kunder/Aktive/B/Ordre 2.pdf", "contact", mtime=at(2015), content=at(2025, 1, 1))
    gaps = overdue(reconcile(REGISTER, [copied_recently, recent_order], AS_OF), "ordrer")
    assert list(gaps) == ["Kunder/Aktive/A"]
    [evidence] = gaps["Kunder/Aktive/A"].evidence
    assert (evidence["clock_started"], evidence["due"]) == ("2020-03-04", "2025-03-04")


def test_register_gaps_stale_systems_categories_and_unreachable_ones():
    gaps = reconcile(REGISTER, [item("Kunder/Aktive/A/x.txt", "contact")], AS_OF)
    register_gaps = sorted((g.kind, g.system or "", g.category or "") for g in gaps
                           if g.kind in ("declared_not_found", "not_scannable"))
    # Mail/** holds no file; CPR and biometric data (faces) are declared and detectable but found
    # nowhere; the CRM cannot be reached; HR-drev has no paths.
    assert register_gaps == [("declared_not_found", "", "biometric"), ("declared_not_found", "", "cpr"),
                             ("declared_not_found", "mail", ""),
                             ("not_scannable", "crm", ""), ("not_scannable", "hr", "")]
    seen = reconcile(REGISTER, [item("Mail/a.eml"), item("Kunder/x.txt", "contact", "cpr", "biometric")], AS_OF)
    assert not [g for g in seen if g.kind == "declared_not_found"]


@pytest.mark.parametrize("category, severity", [("cpr", "high"), ("biometric", "high"), ("contact", "medium")])
def test_cpr_and_special_data_get_the_highest_severity_anywhere(category, severity):
    gaps = reconcile(REGISTER, [item("Diverse/x.txt", category)], AS_OF)
    assert [g.severity for g in gaps if g.kind == "undeclared_location"] == [severity]


def test_gap_ids_stay_the_same_when_other_files_come_and_go():
    first = reconcile(REGISTER, [item("Kunder/Aktive/A/x.txt", "cpr"), item("Diverse/a.txt", "contact")], AS_OF)
    later = reconcile(REGISTER, [item("Kunder/Aktive/A/x.txt", "cpr"), item("Kunder/Aktive/B/y.txt", "cpr"),
                                 item("Diverse/a.txt", "contact"), item("Diverse/b.txt", "contact")], AS_OF)
    assert {g.id for g in first} == {g.id for g in later}
    assert len({g.id for g in later}) == len(later)


def test_content_dates_are_read_next_to_their_labels():
    assert labelled_dates("Ordrenr.: 4711    Ordredato: 04-03-2019") == [at(2019, 3, 4)]
    assert labelled_dates("Fakturadato 3. marts 2019, Date: 2021-12-24") == [at(2019, 3, 3), at(2021, 12, 24)]
    assert labelled_dates("Lot 01-02-2020, Dato: 31-02-2020") == []  # no label / no such day
    assert labelled_dates("Leveringsdato: 01-01-2030") == []  # a delivery date is not the order date
    assert content_date([Segment("Dato: 01-01-2020"), Segment("Dato: 01.06.2021")]) == at(2021, 6, 1)
    assert content_date([Segment("nothing here")]) is None


ITEMS = [item("Kunder/Tidligere/A/k.xlsx", "contact", mtime=at(2018)), item("Kunder/Tidligere/A/n.txt", mtime=at(2020)),
         item("Kunder/Tidligere/B/k.xlsx", "contact", "cpr", mtime=at(2017)),
         item("Kunder/Aktive/A/Ordre 1.pdf", "contact", content=at(2019)),
         item("Mail/x.mbox › 1", "contact", sent=at(2020)), item("Diverse/a.txt", "cpr"), item("Andet/b.txt", "contact")]


@settings(max_examples=40, deadline=None)
@given(st.permutations(ITEMS))
def test_every_kind_of_gap_is_independent_of_item_order(items):
    assert reconcile(REGISTER, items, AS_OF) == reconcile(REGISTER, ITEMS, AS_OF)


PATHS = ["Kunder/Tidligere/A/k.xlsx", "Kunder/Tidligere/A/Sager/n.txt", "Kunder/Tidligere/B/k.xlsx",
         "Kunder/Aktive/A/Ordre 1.pdf", "Kunder/Aktive/B/t.docx", "Mail/x.mbox › 1", "Mail/y.msg", "Diverse/a.txt",
         "Andet/b.txt", "k.txt"]
DATES = st.one_of(st.none(), st.dates(date(2010, 1, 1), date(2026, 12, 31)).map(lambda d: at(d.year, d.month, d.day)))


@st.composite
def scans(draw):
    """Up to 12 items with random places, categories, dates and failures; locations unique as in a scan."""
    out = []
    for n, path in enumerate(draw(st.lists(st.sampled_from(PATHS), max_size=12))):
        dates = {k: v for k, v in (("sent", draw(DATES)), ("content", draw(DATES))) if v}
        result = item(f"{path} › {n}" if " › " in path else f"{path}.{n}",
                      *draw(st.lists(st.sampled_from(["contact", "cpr", "biometric", "financial"]), max_size=3)),
                      mtime=draw(DATES), **dates)
        if draw(st.booleans()) and not result.findings:
            result.status, result.reason = "could_not_inspect", "damaged"
        out.append(result)
    return out


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_reconciliation_is_deterministic_and_order_free_for_any_scan(data):
    items = data.draw(scans())
    shuffled = data.draw(st.permutations(items))
    gaps = reconcile(REGISTER, items, AS_OF)
    assert reconcile(REGISTER, shuffled, AS_OF) == gaps == reconcile(REGISTER, items, AS_OF)
    assert len({g.id for g in gaps}) == len(gaps)


def test_folders_name_which_folders_count_as_one():
    register = parse_register({
        "format": "datakort-register/1", "categories": {"contact": {"declared": True}},
        "systems": [{"id": "kunder", "name": "Kunder", "paths": ["Kunder/**"], "holds": ["contact"]}],
        "retention": [{"id": "sager", "applies_to": {"systems": ["kunder"]}, "keep": "1 year", "clock": "folder",
                       "folders": ["Kunder/*/*"]}]})
    items = [item("Kunder/A/Sag 1/x.txt", "contact", mtime=at(2020)), item("Kunder/A/Sag 2/y.txt", mtime=at(2026)),
             item("Kunder/A/løs.txt", "contact", mtime=at(2020))]
    gaps = overdue(reconcile(register, items, AS_OF), "sager")
    assert sorted(gaps) == ["Kunder/A", "Kunder/A/Sag 1"]  # the loose file counts by its own date
    assert gaps["Kunder/A"].evidence[0]["clock_source"] == "modified (the file is not inside a folder of its own)"


def test_content_dates_of_table_rows_are_those_of_their_rows():
    """A table's rows (TableRows, as a big CSV or sheet hands them on) state the dates their rows
    state: a header is the label of its column's values, a value may hold a label and a date,
    and nothing is read across two rows."""
    from scanner.model import TableRows

    def table(header, *rows):
        return TableRows(tuple(header), [(n, list(cells)) for n, cells in enumerate(rows, start=2)],
                         lambda r, c: f"row {r}, column {c}")

    cases = [
        (table(["Ordrenr", "Ordredato", "Leveringsdato"], ["1", "04-03-2019", "01-01-2030"], ["2", "05-03-2019", ""]),
         at(2019, 3, 5)),
        (table(["Ordrenr", "Leveringsdato"], ["1", "01-01-2030"]), None),
        (table(["Noter"], ["ring, ordredato 01.02.2020", ""], ["se dato", ""], ["12-12-2024"]), at(2020, 2, 1)),
        (table(["Navn", "Noter"], ["Mette", "dato"], ["Søren", "12-12-2024"]), None),  # not across rows
        (table(["Navn"], ["Mette", "Dato: 01-06-2021"]), at(2021, 6, 1)),  # a cell beyond the header
    ]
    for rows, expected in cases:
        assert content_date([rows]) == content_date(rows.segments()) == expected
