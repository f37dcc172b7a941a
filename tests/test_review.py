"""The review loop: marks in reviews.yaml hide what the DPO decided on, until the data change or they expire."""
from __future__ import annotations

import shutil
from datetime import date, datetime, timezone

import pytest

from reports.gaps.findings import finding_id
from reports.gaps.reconcile import reconcile
from reports.register.load import load_register
from reports.gaps.reviews import Mark, Reviews, ReviewsError, gap_fingerprint
from datakort.main import main
from scanner.model import Finding, ItemResult
from tests.conftest import SAMPLE_DIR
from tests.two_scans import two_scans  # noqa: F401  (fixture)

AS_OF = date(2026, 11, 1)
REGISTER = load_register(SAMPLE_DIR / "register.yaml")


def _item(location: str, *hashes: str) -> ItemResult:
    return ItemResult(location, None, 100, datetime(2026, 10, 1, tzinfo=timezone.utc),
                      findings=[Finding("DK_CPR", "cpr", 0.9, f"{h[:4]}xx-xxxx", h, f"line {n}")
                                for n, h in enumerate(hashes, start=1)])


REGISTER_LEVEL = ("declared_not_found", "not_scannable")  # about the register as a whole, not these items


def _gaps(items, reviews=None):
    reviews = reviews or Reviews()
    kept, finding_marks = reviews.filter_findings(items, AS_OF)
    item_gaps = [g for g in reconcile(REGISTER, kept, AS_OF) if g.kind not in REGISTER_LEVEL]
    open_gaps, hidden, gap_marks = reviews.split_gaps(item_gaps, AS_OF)
    return open_gaps, hidden, finding_marks + gap_marks


def test_false_positive_finding_takes_its_gap_away():
    items = [_item("Diverse/lister.txt", "1111aaaa")]
    [gap], _, _ = _gaps(items)
    assert gap.kind == "undeclared_location"
    mark = Mark("finding", finding_id("Diverse/lister.txt", "DK_CPR", "1111aaaa"), "false_positive")
    open_gaps, hidden, marks = _gaps(items, Reviews([mark]))
    assert open_gaps == [] and hidden == []
    assert [(m.id, m.effect) for m in marks] == [(mark.id, "applies")]


def test_a_new_value_in_the_same_file_is_not_hidden_by_the_old_mark():
    mark = Mark("finding", finding_id("Diverse/lister.txt", "DK_CPR", "1111aaaa"), "false_positive")
    [gap], _, _ = _gaps([_item("Diverse/lister.txt", "1111aaaa", "2222bbbb")], Reviews([mark]))
    assert gap.findings == 1 and gap.evidence[0]["masked"] == "2222xx-xxxx"


def test_accepted_gap_is_hidden_until_it_expires():
    items = [_item("Diverse/lister.txt", "1111aaaa")]
    [gap], _, _ = _gaps(items)
    accepted = Mark("gap", gap.id, "accepted", "aftalt", date(2026, 12, 31), gap_fingerprint(gap))
    assert _gaps(items, Reviews([accepted]))[:2] == ([], [gap])
    accepted.until = date(2026, 10, 31)  # the day before AS_OF
    open_gaps, hidden, [record] = _gaps(items, Reviews([accepted]))
    assert [g.id for g in open_gaps] == [gap.id] and hidden == [] and record.effect == "expired"


def test_mark_stops_applying_when_the_gaps_data_change():
    [gap], _, _ = _gaps([_item("Diverse/lister.txt", "1111aaaa")])
    mark = Mark("gap", gap.id, "false_positive", fingerprint=gap_fingerprint(gap))
    changed = [_item("Diverse/lister.txt", "1111aaaa"), _item("Diverse/ny.txt", "3333cccc")]
    open_gaps, hidden, [record] = _gaps(changed, Reviews([mark]))
    assert [g.id for g in open_gaps] == [gap.id] and record.effect == "changed"


def test_fingerprint_ignores_the_as_of_date():
    item = _item("Kunder/Tidligere/Firma/kontakt.txt", "1111aaaa")
    item.mtime = datetime(2015, 1, 1, tzinfo=timezone.utc)
    [a] = [g for g in reconcile(REGISTER, [item], AS_OF) if g.kind == "overdue"]
    [b] = [g for g in reconcile(REGISTER, [item], date(2027, 5, 1)) if g.kind == "overdue"]
    assert a.evidence[0]["days_overdue"] != b.evidence[0]["days_overdue"]
    assert gap_fingerprint(a) == gap_fingerprint(b)


def test_fixed_but_still_found_stays_open_and_says_so():
    items = [_item("Diverse/lister.txt", "1111aaaa")]
    [gap], _, _ = _gaps(items)
    open_gaps, _, [record] = _gaps(items, Reviews([Mark("gap", gap.id, "fixed", fingerprint=gap_fingerprint(gap))]))
    assert [g.id for g in open_gaps] == [gap.id] and record.effect == "still_present"


def test_reviews_file_round_trip(tmp_path):
    path = tmp_path / "reviews.yaml"
    reviews = Reviews([Mark("gap", "abc123", "accepted", "kunden har bedt om det", date(2027, 1, 31), "f00d"),
                       Mark("finding", "0123456789abcdef", "false_positive", label="DK_CPR 0101xx-xxxx x.txt")])
    reviews.save(path)
    text = path.read_text()
    assert text.startswith("# datakort review marks") and "format: datakort-reviews/1" in text
    assert Reviews.load(path).marks == reviews.marks


@pytest.mark.parametrize("body, message", [
    ("marks: []\n", "not a datakort reviews file"),
    ("format: datakort-reviews/1\nmarks:\n- {target: gap, id: x, status: ok}\n", "status must be one of"),
    ("format: datakort-reviews/1\nmarks:\n- {target: gap, id: x, status: accepted, reason: r}\n",
     "needs a reason and an until-date"),
    ("format: datakort-reviews/1\nmarks:\n- {target: gap, id: x, status: accepted, reason: r, until: snart}\n",
     "'snart' is not a date"),
    ("format: datakort-reviews/1\nmarks:\n- {target: item, id: x, status: fixed}\n", "target must be one of"),
    ("format: datakort-reviews/1\nmarks: [\n", "cannot read"),
])
def test_bad_reviews_file_is_a_clear_error(tmp_path, body, message):
    path = tmp_path / "reviews.yaml"
    path.write_text(body)
    with pytest.raises(ReviewsError, match=message):
        Reviews.load(path)


def test_scan_with_bad_reviews_file_stops_before_scanning(tmp_path, capsys):
    (tmp_path / "reviews.yaml").write_text("marks: []\n")
    code = main(["scan", str(tmp_path), "--register", str(SAMPLE_DIR / "register.yaml"),
                 "--db", str(tmp_path / "s.sqlite")])
    assert code == 2 and "is not a datakort reviews file" in capsys.readouterr().err


def test_review_cli_marks_lists_and_unmarks(two_scans, tmp_path, capsys):
    # the store keeps the marks (the export follows it): work on a copy so the shared scans stay as they are
    db, reviews = tmp_path / "store.sqlite", tmp_path / "reviews.yaml"
    shutil.copy(two_scans["db"], db)
    accepted = ("gap", two_scans["contradiction"]["id"])  # marked in the fixture, already in the store
    gap = two_scans["second"]["gaps"][0]
    assert main(["review", "mark", gap["id"], "--status", "fixed", "--db", str(db), "--reviews", str(reviews)]) == 0
    finding = two_scans["second"]["findings"][0]
    assert main(["review", "mark", finding["id"], "--status", "false_positive", "--db", str(db),
                 "--reviews", str(reviews)]) == 0
    loaded = Reviews.load(reviews)
    assert loaded.marks[("gap", gap["id"])].fingerprint
    assert loaded.marks[("finding", finding["id"])].label.startswith(finding["entity_type"])
    capsys.readouterr()
    assert main(["review", "list", "--db", str(db), "--reviews", str(reviews)]) == 0
    assert f"gap {gap['id']}: fixed" in capsys.readouterr().out
    assert main(["review", "unmark", gap["id"], "--db", str(db), "--reviews", str(reviews)]) == 0
    assert sorted(Reviews.load(reviews).marks) == sorted([accepted, ("finding", finding["id"])])


def test_review_cli_errors(two_scans, tmp_path, capsys):
    db, reviews = str(two_scans["db"]), str(tmp_path / "reviews.yaml")
    assert main(["review", "mark", "nosuchid", "--status", "fixed", "--db", db, "--reviews", reviews]) == 2
    assert "has no gap or finding with id nosuchid" in capsys.readouterr().err
    gap = two_scans["second"]["gaps"][0]["id"]
    assert main(["review", "mark", gap, "--status", "accepted", "--db", db, "--reviews", reviews]) == 2
    assert "needs a reason and an until-date" in capsys.readouterr().err



def _copy_store(two_scans, tmp_path):
    db = tmp_path / "store.sqlite"
    shutil.copy(two_scans["db"], db)
    return db


def test_the_store_keeps_every_decision_and_the_export_follows(two_scans, tmp_path, capsys):
    from scanner.store import WorkspaceStore
    db, export = _copy_store(two_scans, tmp_path), tmp_path / "reviews.yaml"
    gap = two_scans["second"]["gaps"][0]["id"]
    assert main(["review", "mark", gap, "--status", "fixed", "--by", "DPO", "--db", str(db)]) == 0
    assert ("gap", gap) in Reviews.load(export).marks
    assert main(["review", "unmark", gap, "--by", "DPO", "--db", str(db)]) == 0
    assert ("gap", gap) not in Reviews.load(export).marks
    store = WorkspaceStore(db)
    trail = [(d.status, d.by, d.source) for d in store.decisions(gap)]
    store.close()
    assert trail == [("fixed", "DPO", "datakort review mark"), ("removed", "DPO", "datakort review unmark")]
    capsys.readouterr()
    assert main(["review", "history", gap, "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "fixed  by DPO" in out[0] and "removed  by DPO" in out[1]


def test_hand_edits_of_the_export_go_into_the_store_and_an_old_file_is_migrated_once(two_scans, tmp_path, capsys):
    from reports.gaps.stored import marks_in_store
    from scanner.store import WorkspaceStore
    db, export = _copy_store(two_scans, tmp_path), tmp_path / "reviews.yaml"
    contradiction = ("gap", two_scans["contradiction"]["id"])
    # an old reviews.yaml beside a store that has never kept marks: taken in whole, once, and said so
    store = WorkspaceStore(db)
    store.db.execute("DELETE FROM review_decisions")
    store.db.execute("DELETE FROM review_exports")
    store.db.commit()
    store.close()
    shutil.copy(two_scans["db"].parent / "reviews.yaml", export)
    capsys.readouterr()
    assert main(["review", "list", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    assert "Took 1 review mark(s)" in captured.err and "(once)" in captured.err
    assert f"gap {contradiction[1]}: accepted until 2027-06-30" in captured.out
    assert main(["review", "list", "--db", str(db)]) == 0
    assert capsys.readouterr().err == ""  # once
    # a hand edit of the export: the mark is deleted from the file, so it goes from the store too
    reviews = Reviews.load(export)
    del reviews.marks[contradiction]
    reviews.save(export)
    assert main(["review", "list", "--db", str(db)]) == 0
    assert "Took 1 hand edit(s)" in capsys.readouterr().err
    store = WorkspaceStore(db)
    assert contradiction not in marks_in_store(store).marks
    assert [d.status for d in store.decisions(contradiction[1])] == ["accepted", "removed"]
    store.close()
    # export and import
    other = tmp_path / "elsewhere.yaml"
    Reviews([Mark("gap", contradiction[1], "fixed", by="DPO")]).save(other)
    assert main(["review", "import", str(other), "--db", str(db)]) == 0
    assert Reviews.load(export).marks[contradiction].status == "fixed"
    assert main(["review", "export", "-o", str(tmp_path / "copy.yaml"), "--db", str(db)]) == 0
    assert Reviews.load(tmp_path / "copy.yaml").marks == Reviews.load(export).marks
