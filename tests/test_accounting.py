"""Nothing is skipped silently: every item the crawler sees is analysed or recorded with a reason,
and the scan summary's counts add up (over the hostile corpus, where most things go wrong)."""
from __future__ import annotations

import json

from scanner.sources.local import crawl
from tests import hostile_corpus as hc


def test_every_crawled_item_is_in_the_store(hostile_scan):
    crawled = [c.location for c in crawl(hostile_scan["root"])]
    top_level = {loc for loc, (_, _, parent) in hostile_scan["items"].items() if parent is None}
    assert len(crawled) == len(set(crawled)), "the crawler gave a location twice"
    assert set(crawled) == top_level


def test_every_item_not_analysed_has_a_reason(hostile_scan):
    for location, (status, reason, _) in hostile_scan["items"].items():
        assert status in (hc.ANALYSED, hc.SKIPPED, hc.FAILED), location
        if status != hc.ANALYSED:
            assert reason and len(reason) > 10, f"{location}: {status} without a clear reason"


def test_summary_counts_add_up(hostile_scan):
    stats = json.loads(hostile_scan["stats"])
    items = hostile_scan["items"].values()
    assert stats["items"] == stats["analysed"] + stats["skipped"] + stats["could_not_inspect"] == len(items)
    for key, status in (("analysed", hc.ANALYSED), ("skipped", hc.SKIPPED), ("could_not_inspect", hc.FAILED)):
        assert stats[key] == sum(s == status for s, _, _ in items), key
    assert stats["could_not_inspect"] >= 12 and stats["skipped"] >= 5


def test_the_printed_summary_and_the_report_have_the_same_counts(hostile_scan):
    stats = json.loads(hostile_scan["stats"])
    assert (f"{stats['items']} items ({stats['analysed']} analysed, {stats['skipped']} skipped, "
            f"{stats['could_not_inspect']} could not inspect)") in hostile_scan["child"].stdout
    report = json.loads((hostile_scan["work"] / "report" / "gaps.json").read_text())
    recorded = [g for g in report["gaps"] if g["kind"] == "could_not_inspect"]
    assert len(recorded) == stats["could_not_inspect"], "every item that could not be inspected is a gap in the report"
