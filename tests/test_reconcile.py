"""Reconciliation rules on hand-made items, and independence of item order."""
from __future__ import annotations

from datetime import date, datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.gaps.reconcile import reconcile
from reports.register.load import load_register
from scanner.model import FAILED, Finding, ItemResult
from tests.conftest import SAMPLE_DIR

REGISTER = load_register(SAMPLE_DIR / "register.yaml")
AS_OF = date(2026, 11, 1)


def item(location, *entity_types, mtime=datetime(2026, 1, 1, tzinfo=timezone.utc), status="analysed"):
    cats = {"DK_CPR": "cpr", "DK_PHONE": "contact", "EMAIL_ADDRESS": "contact"}
    return ItemResult(location, None, 10, mtime, status=status, reason="damaged" if status == FAILED else None,
                      findings=[Finding(t, cats[t], 0.9, "xx", f"h{i}") for i, t in enumerate(entity_types)])


REGISTER_ONLY = ("declared_not_found", "not_scannable")  # gaps about the register itself, not about items


def found(gaps):
    return [g for g in gaps if g.kind not in REGISTER_ONLY]


def kinds(gaps):
    return sorted((g.kind, g.location) for g in found(gaps))


def test_declared_data_in_declared_place_is_no_gap():
    assert found(reconcile(REGISTER, [item("Kunder/Aktive/A/x.txt", "EMAIL_ADDRESS")], AS_OF)) == []


def test_files_without_personal_data_are_no_gap_anywhere():
    assert found(reconcile(REGISTER, [item("Diverse/x.txt"), item(
        "Kunder/Tidligere/A/x.txt", mtime=datetime(2010, 1, 1, tzinfo=timezone.utc))], AS_OF)) == []


def test_undeclared_location_is_grouped_by_folder():
    gaps = reconcile(REGISTER, [item("Diverse/a.txt", "DK_PHONE"), item("Diverse/b.txt", "EMAIL_ADDRESS"),
                                item("Andet/c.txt", "DK_PHONE")], AS_OF)
    assert kinds(gaps) == [("undeclared_location", "Andet"), ("undeclared_location", "Diverse")]
    assert [g.items for g in gaps if g.location == "Diverse"] == [2]


def test_overdue_counts_from_the_clock_and_due_date():
    old = item("Kunder/Tidligere/A/x.txt", "DK_PHONE", mtime=datetime(2021, 10, 31, tzinfo=timezone.utc))
    edge = item("Kunder/Tidligere/B/x.txt", "DK_PHONE", mtime=datetime(2021, 11, 1, tzinfo=timezone.utc))
    gaps = found(reconcile(REGISTER, [old, edge], AS_OF))
    assert kinds(gaps) == [("overdue", "Kunder/Tidligere/A")]
    assert gaps[0].evidence[0]["days_overdue"] == 1


def test_high_severity_for_cpr_and_low_for_unreadable():
    gaps = found(reconcile(REGISTER, [item("Kunder/Aktive/A/x.txt", "DK_CPR"), item("Kunder/y.docx", status=FAILED)],
                           AS_OF))
    assert [(g.kind, g.severity) for g in gaps] == [("undeclared_category", "high"), ("could_not_inspect", "low")]


ITEMS = [item("Kunder/Aktive/A/x.txt", "DK_CPR", "EMAIL_ADDRESS"), item("Økonomi/e.csv", "DK_PHONE"),
         item("Diverse/a.txt", "DK_PHONE"), item("Diverse/b.txt", "DK_CPR"), item("Kunder/y.docx", status=FAILED),
         item("Kunder/Tidligere/A/x.txt", "DK_PHONE", mtime=datetime(2015, 1, 1, tzinfo=timezone.utc))]


@settings(max_examples=50, deadline=None)
@given(st.permutations(ITEMS))
def test_reconciliation_does_not_depend_on_item_order(items):
    assert reconcile(REGISTER, items, AS_OF) == reconcile(REGISTER, ITEMS, AS_OF)
