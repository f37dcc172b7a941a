"""Measure detection on other projects' own test cases (c): CPR, e-mail and IBAN agreement.

    .venv/bin/python bench/peer_cases.py [--data DIR] [--dane]   # DIR holds peer-cases/ (and dane/)

`--dane` also runs bench_detectors' part (b), DaNE dev person names, from DIR/dane.

The cases are read where they lie (`../shared/data/peer-cases/*.json` next to the repo, or
`--data`), never copied into the repo. A CPR case agrees when the numbers found are exactly
the numbers the rules give. The rules' answer is the peer's expectation, except in the cases
listed in `PEER_WRONG`, where the peer's test expects what the CPR rules (real date, century
from the 7th digit, modulus 11 or a 1 January exception date) or its own default settings
do not give; each says why. Cases whose peer test ran with non-default settings
(`default: false`) are left out: they test settings datakort does not have.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from detectors.detector import Detector  # noqa: E402
from detectors.recognizers.cpr import NOT_CPR_LABELS, valid_cpr  # noqa: E402
from detectors.recognizers.labels import label_before  # noqa: E402


def default_data_dir() -> Path:
    """`shared/data` beside the repo (or beside the folder of worktrees holding it)."""
    for root in (REPO.parent, REPO.parent.parent):
        if (root / "shared" / "data" / "peer-cases").is_dir():
            return root / "shared" / "data"
    return REPO.parent / "shared" / "data"


# case id -> why the peer's expectation is not what the rules give (`rules_answer` then decides)
PEER_WRONG: dict[str, str] = {
    "old/test_cprrule/default_blacklist":
        "the peer drops every number of a document in which `p-nr` occurs anywhere (here in a sentence that "
        "explains the heuristics); by the rules each number stands on its own",
    "new/test_rules/4":
        "the same whole-document drop: the two numbers right after `P-nr.` and `P-nummer:` are not CPR, but the "
        "third stands on its own line, has a real date and passes modulus 11",
    "presidio-dk/7":
        "the peer finds this number written with a hyphen (a 1 January 1990 exception date, valid without "
        "modulus 11) and expects the same number written with a space not to be found: its regex takes no space",
}
_STANDALONE = re.compile(r"(?<![\w\-/+#])\d{6}[\-\t ]?\d{4}(?![\w\-/#])")
_NOT_CPR_LABEL = label_before(NOT_CPR_LABELS)


def rules_answer(text: str) -> list[str]:
    """The CPR numbers in `text` by the rules alone: every 10-digit number standing on its own
    (not glued to a word, `+`, `-`, `/` or `#`) with a real date and modulus 11 or a 1 January
    exception date, unless it stands right after a label that says it is something else."""
    out = []
    for m in _STANDALONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if valid_cpr(digits) and not _NOT_CPR_LABEL.search(text, max(0, m.start() - 40), m.start()):
            out.append(digits)
    return out


@dataclass
class Outcome:
    case_id: str
    expected: list[str]
    found: list[str]

    @property
    def agrees(self) -> bool:
        return sorted(self.expected) == sorted(self.found)


def cpr_cases(data: Path) -> list[dict]:
    cases = []
    for name in ("os2ds_cpr_cases.json", "other_cpr_cases.json", "gdprscanner_cases.json"):
        for case in json.loads((data / "peer-cases" / name).read_text(encoding="utf-8")):
            if case.get("kind") == "cpr" and case.get("default", True):
                cases.append(case)
    return cases


def found_values(detector: Detector, text: str, entity: str) -> list[str]:
    return [text[e.start:e.end] for e in detector.entities(text) if e.entity_type == entity]


def measure_cpr(detector: Detector, data: Path) -> list[Outcome]:
    out = []
    for case in cpr_cases(data):
        found = [re.sub(r"\D", "", v) for v in found_values(detector, case["text"], "DK_CPR")]
        expected = rules_answer(case["text"]) if case["id"] in PEER_WRONG else list(case["expected"])
        out.append(Outcome(case["id"], expected, found))
    return out


def measure_presidio(detector: Detector, data: Path, kind: str) -> list[Outcome]:
    cases = json.loads((data / "peer-cases" / "presidio_cases.json").read_text(encoding="utf-8"))
    return [Outcome(c["id"], list(c["expected"]), found_values(detector, c["text"], kind))
            for c in cases if c["kind"] == kind]


def report(title: str, outcomes: list[Outcome], judged: bool = False) -> float:
    agree = sum(o.agrees for o in outcomes)
    print(f"\n{title}: {agree}/{len(outcomes)} cases agree ({agree / max(len(outcomes), 1):.1%})")
    for o in outcomes:
        if not o.agrees:
            extra, missed = sorted(set(o.found) - set(o.expected)), sorted(set(o.expected) - set(o.found))
            print(f"  - {o.case_id}: {len(o.found)} found, {len(o.expected)} expected; "
                  f"{len(extra)} extra, {len(missed)} missed")
    return agree / max(len(outcomes), 1)


def p_number_lists(detector: Detector, n: int = 1500) -> None:
    """CPR reported in generated lists of production-unit numbers (10 digits, as the CVR register
    writes them), one per line and as CSV rows, and how many of them pass the CPR checks by chance."""
    rng = random.Random(14)
    numbers = [f"10{rng.randint(0, 99_999_999):08d}" for _ in range(n)]
    passing = sum(valid_cpr(p) for p in numbers)
    print(f"\n(c) {n} generated P-numbers, {passing} of them pass the CPR checks by chance; CPR reported:")
    for layout in ("{p}", "{p},Butik {i},Vejle", "Enhed {i};{p};aktiv", "Produktionsenhed {i}: {p}"):
        text = "\n".join(layout.format(p=p, i=i) for i, p in enumerate(numbers))
        print(f"  - `{layout}`: {len(found_values(detector, text, 'DK_CPR'))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="the folder holding peer-cases/")
    parser.add_argument("--dane", action="store_true", help="also score person names on DaNE dev (DIR/dane)")
    args = parser.parse_args()
    if not (args.data / "peer-cases").is_dir():
        sys.exit(f"no peer cases under {args.data}: pass --data")
    detector = Detector(b"bench" * 8)
    report("(c) CPR, peer cases with the peer's default settings, judged by the rules", measure_cpr(detector, args.data))
    print("\nCases where the peer's expectation is not the rules' (judged by `rules_answer`):")
    for case_id, why in PEER_WRONG.items():
        print(f"  - {case_id}: {why}")
    p_number_lists(detector)
    report("(c) e-mail, Presidio's cases", measure_presidio(detector, args.data, "EMAIL_ADDRESS"))
    report("(c) IBAN, Presidio's cases", measure_presidio(detector, args.data, "IBAN_CODE"))
    if args.dane:
        from bench import bench_detectors  # the DaNE scoring lives there
        bench_detectors.DANE_DEV = args.data / "dane" / bench_detectors.DANE_DEV.name
        bench_detectors.bench_dane(detector)


if __name__ == "__main__":
    main()
