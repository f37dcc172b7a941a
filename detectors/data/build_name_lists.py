"""Derive the bundled Danish first-name and surname lists from names-dataset (run by hand).

    pip install names-dataset          # once, in any venv; never a runtime dependency
    apt-get install wdanish            # /usr/share/dict/danish: ordinary Danish words
    python detectors/data/build_name_lists.py

Writes `first_names_da.txt` and `surnames_da.txt` next to this script: the names
names-dataset ranks for Denmark (country code DK), best-ranked first, cut at
`--first`/`--last` names, minus names that are ordinary lower-case Danish words
(`hans`, `bo`, `skov` …) unless they are among the `--keep-top` best-ranked, where the
name reading wins (the recogniser still wants a second name or context for a single
word). Town names from `dk_postcodes.tsv` (Horsens, Aarhus …) and a few place words are
dropped too: people write them as their Facebook name, documents mean the place.
`EXTRA_FIRST` adds common Danish first names that names-dataset lacks for DK.
names-dataset (Philippe Remy, Apache-2.0) is built from public Facebook profiles.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import pickle
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXTRA_FIRST = ("Hans", "Poul", "Knud", "Svend", "Aage", "Erik", "Inger", "Grethe", "Bodil", "Jørn")
PLACE_WORDS = {"Danmark", "Denmark", "Dansk", "Danish", "Europa", "Jylland", "Sjælland", "Fyn", "Bornholm", "Norge",
               "Sverige", "Tyskland", "England", "Kommune", "Region"}
NAME_SHAPE = re.compile(r"^[A-ZÆØÅÉ][a-zæøåéüöä]+(?:-[A-ZÆØÅÉ][a-zæøåéüöä]+)?$")


def load(kind: str) -> dict:
    spec = importlib.util.find_spec("names_dataset")
    if spec is None:
        raise SystemExit("names-dataset is not installed: pip install names-dataset")
    path = Path(spec.origin).parent / "v3" / f"{kind}_names.pkl.gz"
    with gzip.open(path, "rb") as f:
        return pickle.load(f)


def common_words(path: Path) -> set[str]:
    """Lower-case entries of a word list: ordinary words, not proper nouns."""
    words = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        w = line.strip()
        if w and w == w.lower():
            words.add(w)
    return words


def town_words() -> set[str]:
    """Words of the towns in dk_postcodes.tsv, plus PLACE_WORDS."""
    towns = set(PLACE_WORDS)
    for line in (HERE / "dk_postcodes.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            towns.update(line.split("\t", 1)[1].split())
    return towns


def danish(names: dict, limit: int, words: set[str], keep_top: int) -> list[str]:
    ranked = sorted((info["rank"]["DK"], name) for name, info in names.items()
                    if info.get("rank", {}).get("DK") and NAME_SHAPE.match(name))
    out = []
    places = town_words()
    for rank, name in ranked:
        if len(name) < 2 or name in places or (name.lower() in words and rank > keep_top):
            continue
        out.append(name)
        if len(out) >= limit:
            break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=Path, default=Path("/usr/share/dict/danish"))
    parser.add_argument("--first", type=int, default=6000)
    parser.add_argument("--last", type=int, default=8000)
    parser.add_argument("--keep-top", type=int, default=300)
    args = parser.parse_args()
    words = common_words(args.words)
    for kind, limit, out in (("first", args.first, "first_names_da.txt"), ("last", args.last, "surnames_da.txt")):
        names = danish(load(kind), limit, words, args.keep_top)
        if kind == "first":
            names += [n for n in EXTRA_FIRST if n not in names]
        (HERE / out).write_text("\n".join(names) + "\n", encoding="utf-8")
        print(f"{out}: {len(names)} names")


if __name__ == "__main__":
    main()
