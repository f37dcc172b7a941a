"""Danish CVR numbers (company registration): 8 digits with modulus-11, after a CVR word.

A CVR number is not personal data about a person, but it tells a company from a person
and links customers across files. Eight digits are common (phone numbers, order numbers),
so a number counts only right after `CVR`, `CVR-nr.`, `SE-nr.` or as a VAT number
`DK12345678`, and only when it passes the modulus-11 check.
"""
from __future__ import annotations

import re

from detectors.recognizers.base import ScoredRecognizer, lead

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)
_NUMBER = r"[1-9]\d(?: ?\d{2}){3}"
CVR = re.compile(  # the first letter first (base.lead); (?i) matches ſ (long s) as s too
    "(?i)" + lead("(?-i:[cCsSſdD])", r"\w") +
    rf"(?:(?:(?<=c)vr|(?<=s)e)(?:[\s\-]*n(?:umme)?r)?\.?[\s:.#]*|(?<=d)K[ \-]?)(?P<cvr>{_NUMBER})(?![\d\-/]|[.,]\d)")
SCORE = 0.85


def passes_mod11(digits: str) -> bool:
    """The CVR modulus-11 check (weights 2,7,6,5,4,3,2,1)."""
    return len(digits) == 8 and sum(int(d) * w for d, w in zip(digits, CVR_WEIGHTS)) % 11 == 0


class DkCvrRecognizer(ScoredRecognizer):
    """Presidio recogniser for CVR numbers (entity DK_CVR)."""

    ENTITY = "DK_CVR"

    def find(self, text):
        for m in CVR.finditer(text):
            if passes_mod11(m.group("cvr").replace(" ", "")):
                yield m.start("cvr"), m.end("cvr"), SCORE
