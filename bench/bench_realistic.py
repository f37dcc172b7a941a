"""Measure detection on material datakort's recognisers were not written against.

    python bench/bench_realistic.py                 # both parts, a few minutes
    python bench/bench_realistic.py --docs 60       # a smaller corpus
    python bench/bench_realistic.py --only corpus   # or: --only peers
    python bench/bench_realistic.py --show 5        # plus up to 5 misses and false finds per type

(d) the independent realistic corpus (bench/realistic_corpus.py), annotated before any
    detector runs: per entity type precision, recall and F1 (a found entity counts when it
    has the gold type and overlaps a gold span, each gold span matched once; exact-span
    scores are printed too), and per document whether health data and interests/personal
    details are found (`DK_HEALTH`, `DK_PERSONAL_DETAILS` anywhere in the document).
(c) the peer suites in ../shared/data/peer-cases/ (read in place, never copied): CPR
    agreement with the CPR rules (our own verdict per number, not the peer's expectation;
    the cases where the two differ are listed with the reason), e-mail and IBAN hit rates;
    generated valid CPR and phone numbers in the everyday contexts issue 14 lists; and a
    generated list of P-numbers: how many are reported as CPR.

Detection reads every segment alone (a table row, a text file), as a scan does.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_detectors import prf, score  # noqa: E402
from bench.realistic_corpus import (GOLD_TYPES, Doc, corpus, cpr_birth_date, cpr_mod11, cpr_valid, make_born,  # noqa: E402
                                    make_cpr, p_number)
from detectors.detector import Detector  # noqa: E402
from detectors.types import Segment  # noqa: E402

# ../shared/data/peer-cases beside the checkout (or beside the folder of worktrees), or $DATAKORT_PEER_CASES
PEER_CASES = Path(os.environ.get("DATAKORT_PEER_CASES") or next(
    (p / "shared" / "data" / "peer-cases" for p in REPO.parents if (p / "shared" / "data" / "peer-cases").is_dir()),
    REPO.parent / "shared" / "data" / "peer-cases"))
KEY = b"realistic-bench-key-0123456789ab"


# ---------------------------------------------------------------------------------------------
# (d) the realistic corpus
@dataclass
class DocResult:
    doc: Doc
    found: list[tuple[str, int, int]]  # (type, start, end) in doc.text, segment by segment
    item_types: set[str]  # the types a scan stores for the document: all its segments as one item


def detect(detector: Detector, doc: Doc) -> DocResult:
    """Spans segment by segment (for P/R against the gold spans); the document's types as a scan finds
    them (`Detector.findings_in` over all its segments: the item-level rules included), for the labels."""
    found = []
    for start, end in doc.segments:
        found += [(e.entity_type, start + e.start, start + e.end) for e in detector.entities(doc.text[start:end])]
    item = detector.findings_in([Segment(doc.text[start:end]) for start, end in doc.segments])
    return DocResult(doc, found, {f.entity_type for f in item})


def bench_corpus(detector: Detector, n_docs: int, seed: int, show: int) -> None:
    docs = corpus(n_docs, seed)
    started = time.process_time()
    results = [detect(detector, d) for d in docs]
    seconds = time.process_time() - started
    size = sum(len(d.text.encode()) for d in docs)
    overlap: dict[str, Counter] = {t: Counter() for t in GOLD_TYPES}
    exact: dict[str, Counter] = {t: Counter() for t in GOLD_TYPES}
    for r in results:
        gold = [(g.type, g.start, g.end) for g in r.doc.gold]
        found = [f for f in r.found if f[0] in GOLD_TYPES]
        for total, part in ((overlap, score(gold, found)), (exact, score(gold, found, exact=True))):
            for t, c in part.items():
                total[t].update(c)
    print(f"\n(d) independent realistic corpus: {len(docs)} documents, {len(sum((d.segments for d in docs), ()))} "
          f"segments, {size / 1024:.0f} KB, seed {seed} ({seconds:.1f} s CPU, one Presidio call per segment)\n")
    kinds = Counter(d.kind for d in docs)
    print("Documents: " + ", ".join(f"{k} {n}" for k, n in kinds.items()) + "\n")
    print("| entity type | gold | found | P (overlap) | R (overlap) | F1 (overlap) | F1 (exact span) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for t in GOLD_TYPES:
        c = overlap[t]
        p, r, f = prf(c)
        print(f"| `{t}` | {c['tp'] + c['fn']} | {c['tp'] + c['fp']} | {p:.3f} | {r:.3f} | {f:.3f} | {prf(exact[t])[2]:.3f} |")

    print("\nDocument labels (found = the type among what a scan stores for the document):\n")
    print("| label | documents that hold it | found in | detection rate | documents without it | flagged anyway "
          "| false-flag rate |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, entity in (("health", "DK_HEALTH"), ("interests / personal details", "DK_PERSONAL_DETAILS")):
        attr = "health" if entity == "DK_HEALTH" else "interests"
        holds = [r for r in results if getattr(r.doc, attr)]
        clean = [r for r in results if not getattr(r.doc, attr)]
        hit = sum(entity in r.item_types for r in holds)
        false = sum(entity in r.item_types for r in clean)
        print(f"| {label} | {len(holds)} | {hit} | {hit / max(len(holds), 1):.2f} | {len(clean)} | {false} | "
              f"{false / max(len(clean), 1):.2f} |")

    print("\nBy document kind: documents holding health / found; holding interests / found; false flags (health, interests):\n")
    print("| kind | health: holds / found | interests: holds / found | false flags |\n|---|---:|---:|---:|")
    for kind in kinds:
        rs = [r for r in results if r.doc.kind == kind]
        cells = []
        for attr, entity in (("health", "DK_HEALTH"), ("interests", "DK_PERSONAL_DETAILS")):
            holds = [r for r in rs if getattr(r.doc, attr)]
            cells.append(f"{len(holds)} / {sum(entity in r.item_types for r in holds)}")
        false = [sum(e in r.item_types for r in rs if not getattr(r.doc, a))
                 for a, e in (("health", "DK_HEALTH"), ("interests", "DK_PERSONAL_DETAILS"))]
        print(f"| {kind} | {cells[0]} | {cells[1]} | {false[0]}, {false[1]} |")

    lookalike_docs = [r for r in results if r.doc.kind in ("p_numbers", "number_list", "quote", "payslip")]
    numbers = sum(len(re.findall(r"(?<!\d)\d{10}(?!\d)", r.doc.text)) for r in lookalike_docs)
    passing = sum(cpr_valid(n) for r in lookalike_docs for n in re.findall(r"(?<!\d)(\d{10})(?!\d)", r.doc.text))
    false_cpr = sum(1 for r in lookalike_docs for f in r.found if f[0] == "DK_CPR"
                    and not any(g.type == "DK_CPR" and g.start < f[2] and f[1] < g.end for g in r.doc.gold))
    print(f"\nLook-alike numbers (P-numbers, customer/order/item/account numbers in {len(lookalike_docs)} documents): "
          f"{numbers} ten-digit numbers, {passing} of them pass the CPR rules; reported as CPR: **{false_cpr}**")

    print("\nRecall by document kind (overlap):\n")
    by_kind: dict[str, dict[str, Counter]] = {}
    for r in results:
        part = score([(g.type, g.start, g.end) for g in r.doc.gold], [f for f in r.found if f[0] in GOLD_TYPES])
        for t, c in part.items():
            by_kind.setdefault(r.doc.kind, {}).setdefault(t, Counter()).update(c)
    print("| kind | " + " | ".join(f"`{t}` R / P" for t in GOLD_TYPES) + " |\n|---|" + "---:|" * len(GOLD_TYPES))
    for kind, counts in by_kind.items():
        cells = []
        for t in GOLD_TYPES:
            c = counts.get(t)
            if not c:
                cells.append("")
            else:
                p, r, _ = prf(c)
                cells.append(f"{r:.2f} / {p:.2f}" if c["tp"] + c["fn"] else f"– / {p:.2f}")
        print(f"| {kind} | " + " | ".join(cells) + " |")
    if show:
        print_examples(results, show)


def print_examples(results: list[DocResult], show: int) -> None:
    """Up to `show` missed gold spans and false finds per type (the corpus is made up: no real data)."""
    misses: dict[str, list[str]] = {}
    false: dict[str, list[str]] = {}
    for r in results:
        for g in r.doc.gold:
            if not any(f[0] == g.type and f[1] < g.end and g.start < f[2] for f in r.found):
                misses.setdefault(g.type, []).append(f"{r.doc.id}: {r.doc.text[g.start:g.end]!r}")
        for t, s, e in r.found:
            if t in GOLD_TYPES and not any(g.type == t and g.start < e and s < g.end for g in r.doc.gold):
                false.setdefault(t, []).append(f"{r.doc.id}: {r.doc.text[s:e]!r} in "
                                                f"{r.doc.text[max(0, s - 25):e + 10]!r}")
    for attr, entity in (("health", "DK_HEALTH"), ("interests", "DK_PERSONAL_DETAILS")):
        missed = [r.doc.id for r in results if getattr(r.doc, attr) and entity not in r.item_types]
        flagged = [r.doc.id for r in results if not getattr(r.doc, attr) and entity in r.item_types]
        print(f"\n{attr}: missed in {', '.join(missed[:show * 3]) or '–'}; flagged in {', '.join(flagged) or '–'}")
    for title, table in (("Missed", misses), ("False finds", false)):
        for t in GOLD_TYPES:
            if table.get(t):
                print(f"\n{title} {t} ({len(table[t])}):")
                for line in random.Random(0).sample(table[t], min(show, len(table[t]))):
                    print("   ", line)


# ---------------------------------------------------------------------------------------------
# (c) peer suites: the CPR rules' own verdict
# A number as a CPR is written: six digits, at most one separator (-, space, tab), four digits;
# not glued to letters, digits or the signs that make it part of another token (#, +, -, /, .).
CANDIDATE = re.compile(r"(?<![\w#+\-/.])(\d{6})[-\u2013 \t]?(\d{4})(?![\w#+\-/]|\.\d)")
# Labels that say the number right after them is something else than a CPR number (matched at
# a word start; the peers' lists and the everyday Danish and English ones).
NOT_CPR_LABEL = re.compile(
    r"(?<!\w)(p[-.]?nr|p[-.]?nummer|produktionsenhed|customer[- ]no|customer number|kunde[- ]?n(umme)?r|"
    r"bilags?n(umme)?r|order[- ]?(no|number)|ordre[- ]?n(umme)?r|faktura[- ]?n(umme)?r|faktura nr|fak-?nr|"
    r"tullstatisti(s)?k|test report no|protocol no|dhk:tx|del nr|vare[- ]?n(umme)?r|account|konto[- ]?n(umme)?r|"
    r"nøk[- ]?nummer)\.?\s*[:#]?\s*$", re.IGNORECASE)
CPR_LABEL_BEFORE = re.compile(r"(?<!\w)(cpr|person\s*n(umme)?r|personnummer\w*)", re.IGNORECASE)
CPR_LABEL_AFTER = re.compile(r"^\W{0,3}(er\s+)?(personnummer\w*|cpr)", re.IGNORECASE)
NOT_WRITTEN_AS_CPR = "not written as a CPR number (glued to a letter, digit or one of # + - / .)"
DENSE_AT = 8  # a text with at least this many candidates, most failing the rules, is a number list


@dataclass(frozen=True)
class Verdict:
    digits: str
    cpr: bool | None  # None: either way (not scored)
    why: str


def rule_verdicts(text: str) -> list[Verdict]:
    """Our verdict for every CPR-shaped number in `text`, by the rules and the label before it."""
    matches = list(CANDIDATE.finditer(text))
    passing = [m for m in matches if cpr_valid(m[1] + m[2])]
    dense = len(matches) >= DENSE_AT and len(passing) * 2 < len(matches)
    out = []
    for m in matches:
        digits = m[1] + m[2]
        before, after = text[max(0, m.start() - 60):m.start()], text[m.end():m.end() + 30]
        labelled = bool(CPR_LABEL_BEFORE.search(before[-25:]) or CPR_LABEL_AFTER.search(after))
        born = cpr_birth_date(digits)
        if born is None:
            out.append(Verdict(digits, False, "no such date (day, month, or century from the 7th digit)"))
        elif born > date.today():
            out.append(Verdict(digits, False, f"born {born}: in the future"))
        elif not cpr_valid(digits):
            if labelled:
                out.append(Verdict(digits, None, "after a CPR label, fails modulus 11, not a listed 1 January date "
                                                 "(cpr.dk's list is not exhaustive): not scored"))
            else:
                out.append(Verdict(digits, False, "fails modulus 11 and is not a modulus-11-free 1 January date"))
        elif NOT_CPR_LABEL.search(text[max(0, m.start() - 30):m.start()]):
            out.append(Verdict(digits, False, "valid number, but a label right before says it is something else"))
        elif dense and not (labelled or CPR_LABEL_BEFORE.search(before)):
            out.append(Verdict(digits, False, f"valid number among {len(matches)} CPR-shaped numbers of which "
                                              f"{len(matches) - len(passing)} fail the rules: a number list"))
        else:
            out.append(Verdict(digits, True, "valid" + (" (mod-11-free date)" if not cpr_mod11(digits) else "")))
    return out


def found_cprs(detector: Detector, text: str) -> set[str]:
    return {re.sub(r"\D", "", text[e.start:e.end]) for e in detector.entities(text) if e.entity_type == "DK_CPR"}


def bench_peer_cpr(detector: Detector) -> None:
    cases = []
    for name in ("os2ds_cpr_cases.json", "gdprscanner_cases.json", "other_cpr_cases.json"):
        cases += [(name, c) for c in json.loads((PEER_CASES / name).read_text(encoding="utf-8"))
                  if c["kind"] in ("cpr", "file")]
    agree = disagree = unscored = case_ok = 0
    wrong: list[str] = []
    peer_differs: list[str] = []
    not_scored: list[str] = []
    seen: set[str] = set()  # a text several peer settings share is scored once
    for name, case in cases:
        verdicts = {}
        for v in rule_verdicts(case["text"]):  # a number written twice: a CPR if either place says so
            if v.digits not in verdicts or v.cpr:
                verdicts[v.digits] = v
        reference = {d for d, v in verdicts.items() if v.cpr}
        either = {d for d, v in verdicts.items() if v.cpr is None}
        found = found_cprs(detector, case["text"])
        case_agrees = True
        for digits in sorted(set(verdicts) | found) if case["text"] not in seen else ():
            v = verdicts.get(digits)
            if v is not None and v.cpr is None:
                unscored += 1
                not_scored.append(f"{case['id']}: {digits} {'reported' if digits in found else 'not reported'}")
                continue
            if (digits in found) == (digits in reference):
                agree += 1
            else:
                disagree += 1
                case_agrees = False
                wrong.append(f"{case['id']}: {digits} {'reported' if digits in found else 'missed'}; rules: "
                             f"{v.why if v else NOT_WRITTEN_AS_CPR}")
        if case["text"] not in seen:
            seen.add(case["text"])
            case_ok += case_agrees
        expected = case.get("expected")
        if expected is not None:
            grouped: dict[tuple[str, str], list[str]] = {}
            for digits in sorted((set(expected) ^ reference) - either):
                v = verdicts.get(digits)
                side = "peer expects" if digits in expected else "peer does not expect"
                grouped.setdefault((side, v.why if v else NOT_WRITTEN_AS_CPR), []).append(digits)
            setting = "default rule" if case.get("default", True) else "peer setting: " + case.get("config", "")
            for (side, why), numbers in grouped.items():
                peer_differs.append(f"{case['id']} [{setting}]: {side} {', '.join(numbers)}; rules: {why}")
    scored = agree + disagree
    print(f"\n(c) peer suites: CPR ({len(cases)} texts from OSdatascanner, GDPRScanner, presidio-dk, DaAnonymization, "
          f"python-stdnum)\n")
    print(f"- agreement with the CPR rules, per number: **{agree}/{scored} = {agree / max(scored, 1):.1%}** "
          f"({unscored} labelled numbers that fail modulus 11 not scored)")
    print(f"- texts where every number agrees: {case_ok}/{len(seen)} (distinct texts of {len(cases)} cases)")
    if not_scored:
        print(f"- not scored (after a CPR label, fails modulus 11): {'; '.join(not_scored)}")
    if wrong:
        print(f"- datakort against the rules ({len(wrong)}):")
        for line in wrong:
            print(f"    {line}")
    print(f"- where the peer's expectation and the rules differ ({len(peer_differs)}; the rules are followed):")
    for line in peer_differs:
        print(f"    {line}")


def bench_peer_presidio(detector: Detector) -> None:
    cases = json.loads((PEER_CASES / "presidio_cases.json").read_text(encoding="utf-8"))
    print("\n(c) peer suites: Presidio's e-mail and IBAN tests\n")
    print("| kind | cases with a value: found exactly | cases without: clean | misses |\n|---|---:|---:|---|")
    nordic = ("DK", "FO", "GL")
    for kind, label, countries in (("EMAIL_ADDRESS", "`EMAIL_ADDRESS`", None), ("IBAN_CODE", "`IBAN_CODE`, all countries", None),
                                   ("IBAN_CODE", "`IBAN_CODE`, DK FO GL", nordic)):
        pos = neg = pos_ok = neg_ok = 0
        missed: Counter = Counter()
        for case in (c for c in cases if c["kind"] == kind):
            text = case["text"]
            country = (case["expected"][0][:2] if case["expected"] else case.get("country") or text[:2]).upper()
            if countries and country not in countries:
                continue
            found = {re.sub(r"\s", "", text[e.start:e.end]) for e in detector.entities(text) if e.entity_type == kind}
            expected = {re.sub(r"\s", "", x) for x in case["expected"]}
            if expected:
                pos += 1
                pos_ok += found == expected
                if found != expected:
                    missed[country] += 1
            else:
                neg += 1
                neg_ok += not found
                if found:
                    missed["false: " + country] += 1
        print(f"| {label} | {pos_ok}/{pos} = {pos_ok / max(pos, 1):.1%} | {neg_ok}/{neg} = {neg_ok / max(neg, 1):.1%} | "
              f"{', '.join(f'{k} {n}' for k, n in sorted(missed.items())) or '–'} |")


# Everyday contexts from the issue: a valid CPR (or phone) written the way people write it.
CPR_CONTEXTS = ("Anna Berg,{cpr},7A", "Anna Berg;{cpr};7A", "Anna Berg\t{cpr}\t7A", "Anna Berg {tab}", "Charlotte {cpr}",
                "Anne Refsgaard {cpr}", "Kontorassistent {cpr}", "cpr nummer {cpr}", "CPR nr. {cpr}",
                "Personnummer: {cpr}", "Navn: Tage Jakobsen\nCPR: {cpr}", "Tage Jakobsen {half} Weena Paulsen Søster")
PHONE_CONTEXTS = ("Kim Gregersen {phone}", "Mette Sagild +45 {phone}", "Tlf. {phone}", "Anna Berg;{phone};Salg")


def bench_contexts(detector: Detector, n: int, seed: int) -> None:
    rng = random.Random(seed)
    cprs = [make_cpr(rng, make_born(rng)) for _ in range(n)]
    phones = [f"{rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}" for _ in range(n)]
    print(f"\n(c) {n} generated valid CPR numbers and phone numbers in everyday contexts\n")
    print("| context | found |\n|---|---:|")
    for context in CPR_CONTEXTS:
        hits = sum(c in found_cprs(detector, context.format(cpr=f"{c[:6]}-{c[6:]}" if "Navn" in context else c,
                                                            half=f"{c[:6]} {c[6:]}", tab=f"{c[:6]}\t{c[6:]}"))
                   for c in cprs)
        shown = context.format(cpr="<cpr>", half="<ddmmyy ssss>", tab="<ddmmyy>\t<ssss>")
        print(f"| `{shown!r}` → CPR | {hits}/{n} |")
    for context in PHONE_CONTEXTS:
        hits = 0
        for phone in phones:
            text = context.format(phone=phone)
            hits += any(e.entity_type == "DK_PHONE" and re.sub(r"\D", "", text[e.start:e.end]).endswith(phone.replace(" ", ""))
                        for e in detector.entities(text))
        print(f"| `{context.format(phone='<phone>')!r}` → phone | {hits}/{n} |")


def bench_p_numbers(detector: Detector, n: int, seed: int) -> None:
    rng = random.Random(seed)
    numbers = [p_number(rng) for _ in range(n)]
    passing = sum(cpr_valid(x) for x in numbers)
    as_list = "P-nummer\n" + "\n".join(numbers)
    in_list = len(found_cprs(detector, as_list))
    in_rows = sum(bool(found_cprs(detector, f"P-nummer: {x}")) for x in numbers)
    in_csv = sum(bool(found_cprs(detector, f"{x};Afdeling {i}")) for i, x in enumerate(numbers))
    print(f"\n(c) {n} generated P-numbers (10 digits from 1 000 000 000 to 1 032 999 999; {passing} pass the CPR "
          f"rules):\n\n| layout | reported as CPR |\n|---|---:|\n| one text, a number a line under `P-nummer` | {in_list} |"
          f"\n| table rows, `P-nummer: <number>` (a segment each) | {in_rows} |\n| unlabelled rows, `<number>;Afdeling n` "
          f"(a segment each) | {in_csv} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300, help="documents in the realistic corpus (default 300)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--only", choices=("corpus", "peers"))
    parser.add_argument("--show", type=int, default=0, help="print up to N misses and false finds per type")
    parser.add_argument("--p-numbers", type=int, default=1200, help="generated P-numbers (default 1200)")
    args = parser.parse_args()
    detector = Detector(KEY)
    if args.only != "peers":
        bench_corpus(detector, args.docs, args.seed, args.show)
    if args.only != "corpus":
        if PEER_CASES.is_dir():
            bench_peer_cpr(detector)
            bench_peer_presidio(detector)
        else:
            print(f"\n(c) peer cases not found at {PEER_CASES}: skipped")
        bench_contexts(detector, 42, args.seed)
        bench_p_numbers(detector, args.p_numbers, args.seed)


if __name__ == "__main__":
    main()
