"""Small pieces every command uses: the error exit and comma-separated option lists."""
from __future__ import annotations

import argparse
import sys


def fail(message: str, code: int = 2) -> int:
    print(f"datakort: {message}", file=sys.stderr)
    return code

def choices(allowed: tuple[str, ...], what: str):
    """An argparse type for a comma-separated list of words from `allowed`."""
    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(f.strip().lower() for f in text.split(",") if f.strip())
        bad = [f for f in chosen if f not in allowed]
        if bad or not chosen:
            raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(bad) or '(none)'}; "
                                             f"choose from {', '.join(allowed)}")
        return chosen
    return parse
