"""Real files nobody here wrote (tests/realfiles.py: the test files parser projects ship), scanned as a
user would: per type the files, items analysed / skipped / could not inspect, the words an
independent parser gets that ours also gets, the time per type and the peak memory.

Usage: .venv/bin/python bench/realfiles.py [--reasons] [--recall-detail]
"""
from __future__ import annotations

import resource
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detectors.detector import Detector  # noqa: E402
from detectors.images.analysis import ImageSettings  # noqa: E402
from scanner.extract import extractor_for  # noqa: E402
from scanner.model import ANALYSED, expand  # noqa: E402
from scanner.run.pipeline import iter_inspect  # noqa: E402
from scanner.sources.local import file_blob  # noqa: E402
from tests import realfiles  # noqa: E402


def our_text(path: Path, root: Path) -> str:
    """Every segment's text the extractor gets from the file itself (not its children)."""
    blob = file_blob(str(path))
    extract = extractor_for(blob)
    try:
        return "\n".join(s.text for s in expand(extract(blob).segments)) if extract else ""
    except Exception:
        return ""


def recall(path: Path, root: Path) -> tuple[int, int] | None:
    """(reference words ours also has, reference words), or None without a reference parser."""
    try:
        reference = realfiles.reference_text(path)
    except Exception:  # the reference parser cannot read it either
        return None
    if reference is None:
        return None
    theirs = realfiles.words(reference)
    return len(theirs & realfiles.words(our_text(path, root))), len(theirs)


def main() -> None:
    cache = realfiles.fetch()
    paths = realfiles.files(cache)
    detector = Detector(b"k" * 32)
    status: dict[str, Counter] = defaultdict(Counter)
    seconds: Counter = Counter()
    files: Counter = Counter()
    reasons: list[tuple[str, str, str]] = []
    found, total = Counter(), Counter()
    low: list[tuple[float, str, int]] = []
    for path in paths:
        kind = path.suffix.lower()
        files[kind] += 1
        started = time.perf_counter()
        for result in iter_inspect(file_blob(str(path)), str(path.relative_to(cache)), detector,
                                   images=ImageSettings(ocr=False)):
            status[kind][result.status] += 1
            if result.status != ANALYSED:
                reasons.append((result.status, result.location, result.reason or ""))
        seconds[kind] += time.perf_counter() - started
        if (r := recall(path, cache)) is not None and r[1]:
            found[kind] += r[0]
            total[kind] += r[1]
            if r[0] < 0.98 * r[1]:
                low.append((r[0] / r[1], str(path.relative_to(cache)), r[1]))
    print(f"{len(paths)} files in {cache}\n")
    print(f"{'type':7} {'files':>5} {'items':>6} {'analysed':>8} {'skipped':>7} {'failed':>6} {'words':>7} "
          f"{'recall':>7} {'s/file':>7}")
    for kind in sorted(files):
        s = status[kind]
        rec = f"{100 * found[kind] / total[kind]:6.1f}%" if total[kind] else "      -"
        print(f"{kind:7} {files[kind]:5} {sum(s.values()):6} {s['analysed']:8} {s['skipped']:7} "
              f"{s['could_not_inspect']:6} {total[kind]:7} {rec} {seconds[kind] / files[kind]:7.2f}")
    all_s = sum(status.values(), Counter())
    print(f"{'all':7} {sum(files.values()):5} {sum(all_s.values()):6} {all_s['analysed']:8} {all_s['skipped']:7} "
          f"{all_s['could_not_inspect']:6} {sum(total.values()):7} "
          f"{100 * sum(found.values()) / max(sum(total.values()), 1):6.1f}% {sum(seconds.values()) / len(paths):7.2f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          f"files under 98 % recall: {len(low)}")
    if "--reasons" in sys.argv:
        for st, location, reason in sorted(reasons):
            print(f"{st:18} {location}  -- {reason[:160]}")
    if "--recall-detail" in sys.argv:
        for share, name, n in sorted(low):
            print(f"{100 * share:5.1f}% of {n:5} words  {name}")


if __name__ == "__main__":
    main()
