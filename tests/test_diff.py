"""`datakort diff`: two scans of the sample share with a file removed, a CPR added and a review mark."""
from __future__ import annotations

import json

from datakort.main import main
from tests.two_scans import ACCEPT_REASON, NOTE, two_scans  # noqa: F401  (fixture)


def _diff(capsys, db, *args):
    capsys.readouterr()
    code = main(["diff", "--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_diff_says_exactly_what_changed(two_scans, capsys):
    code, out = _diff(capsys, two_scans["db"], "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert (d["old_scan"]["id"], d["new_scan"]["id"]) == (1, 2)
    assert d["items"] == {"removed": [two_scans["removed"]], "added": []}
    [new] = d["findings"]["new"]
    assert (new["location"], new["entity_type"], new["category"]) == (NOTE, "DK_CPR", "cpr")
    assert new["masked"] == two_scans["new_cpr"][:4] + "xx-xxxx"
    assert d["findings"]["gone"] == []  # the removed file was corrupt: it had no findings
    # the corrupt file's gap is fixed; the accepted contradiction is neither fixed nor open
    assert [(g["kind"], g["location"]) for g in d["gaps"]["fixed"]] == [("could_not_inspect", two_scans["removed"])]
    assert d["gaps"]["new"] == []
    assert two_scans["contradiction"]["id"] not in {g["id"] for g in d["gaps"]["still_open"]}
    [mark] = d["review_marks"]["new"]
    assert (mark["id"], mark["status"], mark["reason"], mark["until"], mark["effect"]) == (
        two_scans["contradiction"]["id"], "accepted", ACCEPT_REASON, "2027-06-30", "applies")
    assert d["review_marks"]["lapsed"] == []
    # everything else is still open, under the same stable ids
    first_ids = {g["id"] for g in two_scans["first"]["gaps"]}
    assert {g["id"] for g in d["gaps"]["still_open"]} == first_ids - {
        two_scans["contradiction"]["id"], d["gaps"]["fixed"][0]["id"]}


def test_diff_text_names_each_change(two_scans, capsys):
    code, out = _diff(capsys, two_scans["db"])
    assert code == 0
    assert f"Items removed: 1\n  - {two_scans['removed']}\n" in out
    assert f"New findings: 1\n  + DK_CPR {two_scans['new_cpr'][:4]}xx-xxxx  {NOTE}" in out
    assert (f"New review marks: 1\n  * accepted (gap contradiction Økonomi/Eksport (contact)) "
            f"[{two_scans['contradiction']['id']}] → 2027-06-30: {ACCEPT_REASON} – applies\n") in out
    assert two_scans["new_cpr"] not in out


def test_diff_with_explicit_scans_and_errors(two_scans, capsys):
    code, out = _diff(capsys, two_scans["db"], "2", "1")
    assert code == 0 and "Items added: 1" in out  # reversed: the removed file is "added"
    code, out = _diff(capsys, two_scans["db"], "1", "9")
    assert code == 2 and "there is no finished scan 9" in out and "scans there: 1, 2" in out


def test_diff_needs_two_scans(tmp_path, capsys):
    assert main(["diff", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert "there is no findings store" in capsys.readouterr().err


def test_same_scan_twice_is_no_change(two_scans, capsys):
    code, out = _diff(capsys, two_scans["db"], "2", "2")
    assert code == 0 and out.rstrip().endswith("No change.")


def test_a_mark_on_a_gap_whose_data_changed_shows_as_no_longer_applying(two_scans, tmp_path, capsys):
    """The DPO had called the CPR-in-customer-folder gap a false positive in scan 1; scan 2 adds a CPR there."""
    import shutil

    from reports.gaps.reconcile import Gap
    from reports.gaps.reviews import Mark, Reviews, gap_fingerprint
    db = tmp_path / "store.sqlite"
    shutil.copy(two_scans["db"], db)
    [gap] = [Gap.from_dict(g) for g in two_scans["first"]["gaps"] if g["kind"] == "undeclared_category"]
    reviews = Reviews.load(two_scans["db"].parent / "reviews.yaml")
    reviews.add(Mark("gap", gap.id, "false_positive", fingerprint=gap_fingerprint(gap)))
    reviews.save(tmp_path / "reviews.yaml")
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "out"), "-q"]) == 0
    code, out = _diff(capsys, db, "--format", "json")
    [lapsed] = json.loads(out)["review_marks"]["lapsed"]
    assert (lapsed["id"], lapsed["status"], lapsed["effect"]) == (gap.id, "false_positive", "changed")
    report = json.loads((tmp_path / "out" / "gaps.json").read_text())
    assert gap.id in {g["id"] for g in report["gaps"]}  # shown again
