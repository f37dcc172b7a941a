"""Derive the bundled Danish first-name and surname lists from names-dataset (run by hand).

    pip install names-dataset          # once, in any venv; never a runtime dependency
    apt-get install wdanish            # /usr/share/dict/danish: ordinary Danish words
    python detectors/data/build_name_lists.py

Writes `first_names_da.txt` and `surnames_da.txt` next to this script: the names
names-dataset ranks for Denmark (country code DK), best-ranked first, cut at
`--first`/`--last` names (after them the names common in neighbouring countries, see
`danish`), minus names that are ordinary lower-case Danish words (`hans`, `bo`, `skov` …)
or towns unless they are among the `--keep-top` best-ranked, where the name reading wins
(the recogniser still wants a second name or context for a single word). Town names
from `dk_postcodes.tsv` (Horsens, Aarhus …) are dropped the same way (people write them
as their Facebook name; documents mean the place), and NOT_NAMES always.
`name_words_da.txt` lists the kept names that are also words or towns (Bo, Per, Skov,
Mørk, Flemming): the recogniser trusts them only next to another name or after context.
`EXTRA_FIRST` adds common Danish first names that names-dataset lacks for DK.
After those come the names of the largest groups of people in Denmark with roots abroad
(`ORIGINS`: the countries' `--origins-top` best-ranked first names and surnames, minus
Danish and English words: `Yılmaz`, `Sharma`, `Haddad`), and `EXTRA_ORIGIN_FIRST`/`_LAST` for
groups names-dataset has no country for (Vietnam, Somalia, Ukraine, Romania).
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
EXTRA_FIRST = ("Hans", "Poul", "Knud", "Svend", "Aage", "Erik", "Inger", "Grethe", "Bodil", "Jørn", "Jan", "Oscar", "Adolf")
# never names in a Danish document: places, and words written capitalised at a line start
NOT_NAMES = {"Hej", "Hejsa", "Kære", "Tak", "Mvh", "Vh", "Hilsen", "Att", "Frk", "Hr", "Fru", "Dk",
             "Danmark", "Denmark", "Dansk", "Danish", "Europa", "Jylland", "Sjælland", "Fyn", "Bornholm", "Norge",
             "Sverige", "Tyskland", "England", "Kommune", "Region"}
NEIGHBOURS = ("NO", "SE", "DE", "NL", "GB", "US")
# countries of origin of the largest groups of immigrants and descendants in Denmark that names-dataset ranks
ORIGINS = ("TR", "PL", "SY", "IQ", "IR", "LB", "PS", "AF", "JO", "EG", "MA", "DZ", "TN", "IN", "BD", "CN", "HK", "TW",
           "KR", "JP", "PH", "MY", "RS", "HR", "LT", "RU", "BG", "HU", "IT", "ES", "FR", "PT", "IE", "GR", "CZ", "BR",
           "NG", "ET")
EXTRA_ORIGIN_FIRST = (  # Vietnamese, Somali, Ukrainian, Romanian given names
    "Anh Minh Linh Thanh Huong Hoa Mai Hung Tuan Duc Quang Trang Ngoc Phuong Hai Hieu Thao Dung Hanh Khanh Trung "
    "Thuy Hien Hang Tien Vinh Phuc Loan Nhung Abdi Abdullahi Abdirahman Abdikarim Fadumo Hodan Sahra Hibo Idil "
    "Ayan Asha Faadumo Warsame Olena Oksana Iryna Tetiana Yulia Olha Andrii Oleksandr Serhii Dmytro Mykola "
    "Volodymyr Vasyl Bohdan Taras Yaroslav Ionut Mihai Andrei Alexandru Ioana Gabriela Florin Bogdan Cristian "
    "Mihaela Adriana Catalin").split()
EXTRA_ORIGIN_LAST = (
    "Nguyen Tran Pham Hoang Huynh Phan Dang Bui Ngo Duong Truong Vo Vu Farah Abdullahi Warsame Hersi Jama Aden "
    "Osman Ismail Mohamud Mohamed Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boiko Kovalchuk "
    "Oliinyk Lysenko Marchenko Savchenko Rudenko Petrenko Klymenko Pavlenko Popescu Ionescu Dumitru Stoica "
    "Gheorghe Munteanu Constantin Dinu Moldovan").split()
NAME_SHAPE = re.compile(r"^[A-ZÆØÅÀ-ÖØ-ÞĀ-ž][a-zæøåß-öø-ÿā-ž]+(?:-[A-ZÆØÅÀ-ÖØ-ÞĀ-ž][a-zæøåß-öø-ÿā-ž]+)?$")
OLD_NAME_SHAPE = re.compile(r"^[A-ZÆØÅÉ][a-zæøåéüöä]+(?:-[A-ZÆØÅÉ][a-zæøåéüöä]+)?$")  # the Danish and neighbours' names


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
    """Words of the towns in dk_postcodes.tsv, plus NOT_NAMES."""
    towns = set(NOT_NAMES)
    for line in (HERE / "dk_postcodes.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            towns.update(line.split("\t", 1)[1].split())
    return towns


def origins(names: dict, top: int, words: set[str], taken: set[str], extra: list[str]) -> list[str]:
    """Names among the `top` best-ranked of an ORIGINS country, then `extra`, best rank first, that
    are no Danish or English word, no town and not in `taken`."""
    ranked = sorted((min(r), name) for name, info in names.items() if NAME_SHAPE.match(name) and len(name) > 2
                    and (r := [info["rank"][c] for c in ORIGINS if info.get("rank", {}).get(c)]) and min(r) <= top)
    places = town_words()
    out = []
    for name in [n for _, n in ranked] + list(extra):
        if name in taken or name in places or name in NOT_NAMES or name.lower() in words:
            continue
        taken.add(name)
        out.append(name)
    return out


def danish(names: dict, limit: int, words: set[str], keep_top: int, neighbours_top: int) -> list[str]:
    """Names ranked for DK, then names in the top `neighbours_top` of a NEIGHBOURS country.

    names-dataset keeps only each name's ten biggest countries, so an international name
    common in Denmark (Peter, Christian, Maria) often has no DK rank; the ranks in the
    countries whose names Danes share catch those.
    """
    def rank(info: dict) -> int | None:
        ranks = info.get("rank", {})
        if ranks.get("DK"):
            return ranks["DK"]
        best = min((ranks[c] for c in NEIGHBOURS if ranks.get(c)), default=None)
        return best + 10_000 if best is not None and best <= neighbours_top else None  # after every DK name
    ranked = sorted((r, name) for name, info in names.items() if OLD_NAME_SHAPE.match(name) and (r := rank(info)))
    out = []
    places = town_words()
    for rank, name in ranked:
        if len(name) < 2 or name in NOT_NAMES or ((name in places or name.lower() in words) and not rank <= keep_top):
            continue
        out.append(name)
        if len(out) >= limit:
            break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=Path, default=Path("/usr/share/dict/danish"))
    parser.add_argument("--first", type=int, default=8000)
    parser.add_argument("--last", type=int, default=6000)
    parser.add_argument("--keep-top", type=int, default=600)
    parser.add_argument("--neighbours-top", type=int, default=1000)
    parser.add_argument("--origins-top", type=int, default=120)
    parser.add_argument("--english", type=Path, default=Path("/usr/share/dict/american-english"))
    args = parser.parse_args()
    words = common_words(args.words)
    english = common_words(args.english)
    both_words = set()
    for kind, limit, out in (("first", args.first, "first_names_da.txt"), ("last", args.last, "surnames_da.txt")):
        names = danish(load(kind), limit, words, args.keep_top, args.neighbours_top)
        if kind == "first":
            names += [n for n in EXTRA_FIRST if n not in names]
        names += origins(load(kind), args.origins_top, words | english, set(names),
                         EXTRA_ORIGIN_FIRST if kind == "first" else EXTRA_ORIGIN_LAST)
        both_words.update(n for n in names if n.lower() in words or n in town_words())
        (HERE / out).write_text("\n".join(names) + "\n", encoding="utf-8")
        print(f"{out}: {len(names)} names")
    (HERE / "name_words_da.txt").write_text("\n".join(sorted(both_words)) + "\n", encoding="utf-8")
    print(f"name_words_da.txt: {len(both_words)} names that are also words or towns")


if __name__ == "__main__":
    main()
