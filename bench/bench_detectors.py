"""Benchmark the Danish recognisers: precision, recall and F1 per entity type, and speed.

    .venv/bin/python bench/bench_detectors.py            # all three parts, ~1-2 minutes
    .venv/bin/python bench/bench_detectors.py --quick    # smaller corpus and texts
    .venv/bin/python bench/bench_detectors.py --speed-only --baseline /tmp/base   # (c) for this code and an older export

(a) the generated labelled corpus of Danish business text (bench/corpus.py);
(b) person names in DaNE's dev set, read from ../shared/data/dane/da_ddt-ud-ner-dev.conll
    (relative to the repo; never copied into it; skipped if absent);
(c) speed: KB of text per second of CPU on one core with every recogniser on, and the
    time for one 5 MB text compared with 0.5 MB (linear work gives a ratio near 10),
    on the business corpus and on DaNE's news prose. With `--baseline DIR` (an export of older code,
e.g. `git archive <commit> | tar -x -C DIR`) the same texts are timed with both codes, each in
its own process, in turns, best of `--rounds`: numbers side by side from one run, on one machine
load (the load average is printed).

A found entity counts as correct when it has the gold type and overlaps a gold span
(each gold span matched once); the exact-span score for names is printed too.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import corpus  # noqa: E402
from detectors.detector import Detector  # noqa: E402

DANE_DEV = REPO.parent / "shared" / "data" / "dane" / "da_ddt-ud-ner-dev.conll"


def score(gold: list[tuple[str, int, int]], found: list[tuple[str, int, int]], exact: bool = False):
    """Per type: Counter of tp, fp, fn."""
    counts: dict[str, Counter] = {}
    unmatched = list(gold)
    for t, s, e in found:
        c = counts.setdefault(t, Counter())
        match = next((g for g in unmatched if g[0] == t and ((g[1], g[2]) == (s, e) if exact else g[1] < e and s < g[2])),
                     None)
        if match:
            unmatched.remove(match)
            c["tp"] += 1
        else:
            c["fp"] += 1
    for t, _, _ in unmatched:
        counts.setdefault(t, Counter())["fn"] += 1
    return counts


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def table(title: str, counts: dict[str, Counter]) -> None:
    print(f"\n{title}\n\n| entity type | gold | found | precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|")
    for t in sorted(counts):
        c = counts[t]
        p, r, f = prf(c)
        print(f"| `{t}` | {c['tp'] + c['fn']} | {c['tp'] + c['fp']} | {p:.3f} | {r:.3f} | {f:.3f} |")


def merge(total: dict[str, Counter], part: dict[str, Counter]) -> None:
    for t, c in part.items():
        total.setdefault(t, Counter()).update(c)


def bench_corpus(detector: Detector, n_docs: int) -> str:
    docs = corpus(n_docs)
    total: dict[str, Counter] = {}
    cpr_on_lookalikes = 0
    fp_examples: Counter = Counter()
    for doc in docs:
        found = [(e.entity_type, e.start, e.end) for e in detector.entities(doc.text)]
        gold = [g for g in doc.gold if g[0] != "LOOKALIKE"]
        lookalikes = [g for g in doc.gold if g[0] == "LOOKALIKE"]
        cpr_on_lookalikes += sum(1 for t, s, e in found if t == "DK_CPR" and any(g[1] < e and s < g[2] for g in lookalikes))
        merge(total, score(gold, found))
        for t, s, e in found:
            if not any(g[0] == t and g[1] < e and s < g[2] for g in gold):
                fp_examples[(t, doc.kind)] += 1
    size = sum(len(d.text.encode()) for d in docs)
    table(f"(a) generated business corpus: {n_docs} documents, {size / 1024:.0f} KB", total)
    print(f"\nCPR reported on look-alike numbers (order/invoice/item numbers, dates, amounts): {cpr_on_lookalikes}")
    if fp_examples:
        print("False positives by type and document kind:", dict(fp_examples.most_common(10)))
    return "\n".join(d.text for d in docs)


def read_conll(path: Path) -> tuple[str, list[tuple[str, int, int]]]:
    """DaNE CoNLL as one text (a sentence a line, tokens joined by spaces) and its PER spans."""
    text, gold, line_tokens = [], [], []
    offset = 0
    spans: list[tuple[str, int, int]] = []

    def flush():
        nonlocal offset, line_tokens
        if line_tokens:
            line = ""
            current = None
            for token, tag in line_tokens:
                if line and not (token in ".,:;!?)" or line.endswith("(")):
                    line += " "
                start = offset + len(line)
                line += token
                if tag == "B-PER" or (tag == "I-PER" and current is None):
                    current = [start, start + len(token)]
                    spans.append(current)
                elif tag == "I-PER":
                    current[1] = start + len(token)
                else:
                    current = None
            text.append(line)
            offset += len(line) + 1
            line_tokens = []

    for raw in path.read_text(encoding="utf-8").splitlines():
        parts = raw.split("\t")
        if len(parts) < 2 or not parts[0].strip():
            flush()
            continue
        line_tokens.append((parts[0], parts[-1].strip()))
    flush()
    gold = [("PERSON", s, e) for s, e in spans]
    return "\n".join(text), gold


def bench_dane(detector: Detector, path: Path | None = None) -> str:
    """Prints the name scores on DaNE dev; returns its text (for the speed test), or ''."""
    path = path or DANE_DEV
    if not path.exists():
        print(f"\n(b) DaNE dev set not found at {path}: skipped")
        return ""
    text, gold = read_conll(path)
    found = [(e.entity_type, e.start, e.end) for e in detector.entities(text) if e.entity_type == "PERSON"]
    overlap, exact = score(gold, found)["PERSON"], score(gold, found, exact=True)["PERSON"]
    print(f"\n(b) DaNE dev, person names ({len(gold)} gold PER spans, {len(text.encode()) / 1024:.0f} KB)\n")
    print("| matching | precision | recall | F1 |\n|---|---:|---:|---:|")
    for label, c in (("overlap", overlap), ("exact span", exact)):
        p, r, f = prf(c)
        print(f"| {label} | {p:.3f} | {r:.3f} | {f:.3f} |")
    return text


def bench_speed(detector: Detector, texts: dict[str, str], big_mb: float) -> None:
    def timed(t: str) -> float:
        started = time.process_time()
        detector.entities(t)
        return time.process_time() - started

    print(f"\n(c) speed, every recogniser on, one process (CPU time)\n")
    for label, sample in texts.items():
        sample = sample[:1_000_000]
        seconds = timed(sample)
        kb = len(sample.encode()) / 1024
        print(f"- {label}: {kb:.0f} KB in {seconds:.2f} s = **{kb / seconds:.0f} KB/s per core**")
    text = next(iter(texts.values()))
    big = (text * (int(big_mb * 1024 * 1024 / max(len(text), 1)) + 1))[:int(big_mb * 1024 * 1024)]
    small = big[:len(big) // 10]
    t_small, t_big = timed(small), timed(big)
    print(f"- one {len(big.encode()) / 2**20:.1f} MB text: {t_big:.1f} s; its first tenth: {t_small:.2f} s; "
          f"ratio {t_big / t_small:.1f} (10 = linear)")


SPEED = """
import json, sys, time
sys.path.insert(0, {code!r})
from detectors.detector import Detector
texts = json.load(open({texts!r}, encoding="utf-8"))
detector = Detector(b"bench" * 8)
detector.entities(texts[0][1][:20000])  # warm up: lists, regexes
out = {{}}
for label, text in texts:
    started = time.process_time()
    detector.entities(text)
    out[label] = len(text.encode()) / 1024 / (time.process_time() - started)
print(json.dumps(out))
"""


def compare_speed(texts: dict[str, str], codes: dict[str, Path], rounds: int) -> None:
    """KB/s per core of each code on the same texts, each in its own process, in turns, best of `rounds`."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump([(label, text[:1_000_000]) for label, text in texts.items()], f)
    best: dict[str, dict[str, float]] = {name: {} for name in codes}
    load = [os.getloadavg()[0]]
    try:
        for _ in range(rounds):
            for name, code in codes.items():
                out = subprocess.run([sys.executable, "-c", SPEED.format(code=str(code), texts=f.name)], cwd=code,
                                     capture_output=True, text=True, check=True).stdout
                for label, rate in json.loads(out.strip().splitlines()[-1]).items():
                    best[name][label] = max(best[name].get(label, 0.0), rate)
                load.append(os.getloadavg()[0])
    finally:
        os.unlink(f.name)
    print(f"\n(c) speed, KB/s per core (CPU time), best of {rounds} rounds in turns; "
          f"load average {min(load):.1f}–{max(load):.1f}\n")
    print("| text | " + " | ".join(codes) + " |\n|---|" + "---:|" * len(codes))
    for label in texts:
        print(f"| {label} | " + " | ".join(f"{best[name][label]:.0f}" for name in codes) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller corpus and a 1 MB big text")
    parser.add_argument("--spacy-model", default=None, help="also use this Danish spaCy model's person entities")
    parser.add_argument("--baseline", type=Path, default=None, help="time (c) for this checkout's code too")
    parser.add_argument("--speed-only", action="store_true", help="only (c), with --baseline")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dane", type=Path, default=DANE_DEV, help="DaNE's dev set (CoNLL)")
    args = parser.parse_args()
    if args.speed_only and args.baseline:
        texts = {"business corpus (dense: an entity every few words)": "\n".join(d.text for d in corpus(600))}
        if args.dane.exists():
            texts["DaNE news prose"] = read_conll(args.dane)[0]
        compare_speed(texts, {"now": REPO, "baseline": args.baseline.resolve()}, args.rounds)
        return
    detector = Detector(b"bench" * 8, spacy_model=args.spacy_model)
    text = bench_corpus(detector, 100 if args.quick else 600)
    prose = bench_dane(detector, args.dane)
    texts = {"business corpus (dense: an entity every few words)": text}
    if prose:
        texts["DaNE news prose"] = prose
    bench_speed(detector, texts, 1 if args.quick else 5)
    if args.baseline:
        compare_speed(texts, {"now": REPO, "baseline": args.baseline.resolve()}, args.rounds)


if __name__ == "__main__":
    main()
