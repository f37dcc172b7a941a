"""Other projects' own test cases, read where they lie (never copied into the repo): CPR
agreement with the CPR rules, e-mail and IBAN agreement with Presidio's tests.

Skipped when the shared peer cases are not next to the repo (bench/peer_cases.py --data).
"""
from __future__ import annotations

import pytest

from bench.peer_cases import PEER_WRONG, default_data_dir, measure_cpr, measure_presidio

DATA = default_data_dir()
pytestmark = pytest.mark.skipif(not (DATA / "peer-cases").is_dir(), reason="peer cases not found next to the repo")


def test_cpr_agrees_with_the_rules_on_the_peer_cases(detector):
    outcomes = measure_cpr(detector, DATA)
    disagree = [o.case_id for o in outcomes if not o.agrees]
    assert len(outcomes) > 80
    assert 1 - len(disagree) / len(outcomes) >= 0.99, disagree
    assert len(PEER_WRONG) <= 0.05 * len(outcomes)  # where the peer is overruled, it is the exception


@pytest.mark.parametrize("kind", ["EMAIL_ADDRESS", "IBAN_CODE"])
def test_email_and_iban_agree_with_presidio_tests(detector, kind):
    outcomes = measure_presidio(detector, DATA, kind)
    assert outcomes and [o.case_id for o in outcomes if not o.agrees] == []
