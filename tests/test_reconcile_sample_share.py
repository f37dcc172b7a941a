"""Over the sample share: every kind of gap appears where it was planted, and nowhere else."""
from __future__ import annotations

import os

import pytest

from detectors.recognizers import ENTITY_CATEGORY
from reports.gaps.reconcile import KIND_ORDER, reconcile
from reports.register.load import load_register
from reports.render.html import write_html
from reports.render.report import Report
from scanner.store import ScanRecord
from scanner.run.runner import run_scan
from scanner.store import Store
from tests.conftest import DEMO_DATE, SAMPLE_DIR

REGISTER = load_register(SAMPLE_DIR / "register.yaml")


@pytest.fixture(scope="module")
def scan(sample_share, detector, tmp_path_factory):
    root, written = sample_share
    store = Store(tmp_path_factory.mktemp("reconcile") / "store.sqlite")
    scan_id, _ = run_scan(root, store, detector)
    items = store.results(scan_id)
    store.close()
    files = [os.path.relpath(os.path.join(d, n), root).replace(os.sep, "/")
             for d, _, names in os.walk(root) for n in names]
    return {"gaps": reconcile(REGISTER, items, DEMO_DATE), "items": items, "files": files, "written": written}


def of(scan, kind):
    return [g for g in scan["gaps"] if g.kind == kind]


def test_every_kind_of_gap_is_found(scan):
    # Since Mail/ holds mail (issue 4) every scannable system of the register holds files, so
    # declared_not_found no longer arises here; tests/test_reconcile_clocks.py covers it. Every folder
    # is readable, so nothing is not_checked (tests/test_trust.py makes a folder unreadable for that).
    assert {g.kind for g in scan["gaps"]} == set(KIND_ORDER) - {"declared_not_found", "not_checked"}


def test_undeclared_location_category_contradiction_and_unreadable_exactly_where_planted(scan, sample_generator):
    planted = sample_generator.PLANTED
    assert [g.location for g in of(scan, "undeclared_location")] == planted["undeclared_location"]
    assert [(g.system, g.category) for g in of(scan, "undeclared_category")] == planted["undeclared_category"]
    assert [(g.system, g.category) for g in of(scan, "contradiction")] == planted["contradiction"]
    assert [g.location for g in of(scan, "could_not_inspect")] == planted["corrupt"]


def test_overdue_per_rule_exactly_where_planted(scan, sample_generator):
    planted = sample_generator.PLANTED
    by_rule: dict[str, list[str]] = {}
    for gap in of(scan, "overdue"):
        by_rule.setdefault(gap.rule, []).append(gap.location)
        assert all(e["days_overdue"] > 0 and e["clock_started"] for e in gap.evidence)
    assert {rule: sorted(locations) for rule, locations in by_rule.items()} == planted["overdue"]
    assert not set(planted["not_overdue_folders"]) & {g.location for g in of(scan, "overdue")}


def test_content_date_of_a_recently_copied_order_confirmation_starts_its_clock(scan):
    [gap] = [g for g in of(scan, "overdue") if g.location == "Kunder/Aktive/Nordic Kosmetik ApS"]
    [evidence] = gap.evidence
    assert evidence["clock_source"] == "content" and evidence["location"].endswith(".pdf")
    copied = next(i for i in scan["items"] if i.location == evidence["location"])
    assert (DEMO_DATE - copied.mtime.date()).days < 60  # the file itself is recent


def test_declared_but_not_found_follows_what_the_share_holds(scan, sample_generator):
    """Derived from the share's files, so the expectation holds when mail or images are added to it."""
    holding = {REGISTER.system_for(f).id for f in scan["files"] if REGISTER.system_for(f)}
    expected = {s.id for s in REGISTER.systems if s.scannable and s.paths and s.id not in holding}
    assert {g.system for g in of(scan, "declared_not_found") if g.system} == expected
    written = {"email": "EMAIL_ADDRESS", "phone": "DK_PHONE", "cpr": "DK_CPR"}
    planted = {ENTITY_CATEGORY[entity] for kind, entity in written.items() if scan["written"][kind]}
    if "business_card_with_photo" in sample_generator.PLANTED:
        planted.add(ENTITY_CATEGORY["BUSINESS_CARD_WITH_PHOTO"])
    if sample_generator.INTERESTS:  # customer notes: `Nicoline er passioneret lystfisker` (issue 3's lexicon)
        planted.add(ENTITY_CATEGORY["DK_PERSONAL_DETAILS"])
    detectable = set(ENTITY_CATEGORY.values())
    expected = {c for c, declared in REGISTER.declared.items() if declared and c in detectable} - planted
    assert {g.category for g in of(scan, "declared_not_found") if g.category} == expected


def test_systems_the_scanner_cannot_reach_are_listed_not_scannable(scan):
    expected = {s.id for s in REGISTER.systems if not s.scannable or not s.paths}
    assert {g.system for g in of(scan, "not_scannable")} == expected == {"erp", "tidligere_erp", "mobiltelefon",
                                                                          "fysiske_mapper"}
    assert all(g.severity == "low" for g in of(scan, "not_scannable"))


def test_report_shows_the_new_kinds_and_when_each_clock_started(scan, tmp_path):
    scan_row = ScanRecord(id=1, root="share", started="2026-11-01T10:00", finished="2026-11-01T10:01",
                          stats={}, register_version=REGISTER.version)
    report = Report(scan=scan_row, register=REGISTER, as_of=DEMO_DATE, gaps=scan["gaps"], hidden=[], marks=[],
                    findings=[], inventory=[])
    write_html(tmp_path / "report.html", report)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "I fortegnelsen, men ikke fundet" in html and "Kan ikke skannes" in html
    for gap in of(scan, "overdue"):
        for evidence in gap.evidence:
            assert evidence["clock_started"] in html and f"<td>{evidence['days_overdue']}</td>" in html
