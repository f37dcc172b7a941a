"""Check that a speed change finds exactly what the code before found.

    python bench/same_findings.py --save /tmp/before.json            # with this checkout's code
    python bench/same_findings.py --code /tmp/base --save /tmp/before.json   # with an export of older code
    python bench/same_findings.py --compare /tmp/before.json         # differences, exit status 1 if any

What is compared, entity by entity (type, start, end, score) or finding by finding (type,
category, score, mask, keyed hash, where):
- (a) the generated business corpus (bench/corpus.py, 600 documents): `Detector.entities` per document;
- (b) DaNE's dev text (read in place from ../shared/data/dane, skipped if absent): `entities`;
- (d) the realistic corpus (bench/realistic_corpus.py, 300 documents): `entities` per segment
  and `findings_in` over each document's segments;
- tables: contact-list CSVs read by the CSV extractor, their rows through `findings_in`: the
  rows of `table_csv` (unexpected values in unexpected columns: a CPR in the notes, a phone in
  the name column, a name and interests in the notes, P-numbers, e-mails in the company
  column …) and of bench_bigfiles' contact list.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DANE_DEV = REPO.parent / "shared" / "data" / "dane" / "da_ddt-ud-ner-dev.conll"

FIRST = ["Mette", "Søren", "Lene", "Jens", "Anne", "Peter", "Mark", "Bo", "Weena", "Xiomara", "Tage", "Kim"]
LAST = ["Hansen", "Jensen", "Nielsen", "Krogh", "Paulsen", "Qvist", "Refsgaard", "Gregersen", "Owusu"]
TOWNS = [("8700", "Horsens"), ("1112", "København K"), ("5000", "Odense C"), ("8000", "Aarhus C"), ("9999", "Nowhere")]
NOTES = ["", "", "", "ring efter kl. 16", "løber maraton", "går på jagt, spiller golf", "sygemeldt med diskusprolaps",
         "medlem af 3F", "ny kunde", "kontakt via {name}", "CPR {cpr}", "hans søster {name}", "{cpr}", "tlf. {phone}",
         "skriv til {mail}", "Hej {first}, tak for sidst", "pnr {pnum}", "ordrenr. {pnum}", "IBAN DK5000400440116243",
         "Konto: 1234 1234567890", "CVR 10150817", "Vestergade 12, 2. th., 8700 Horsens", "muslim", "straffet for vold",
         "Med venlig hilsen\n{name}", "samlever med {name}", "{name} <{mail}>", "Direktør {last}"]


def _cpr(rng: random.Random, valid: bool = True) -> str:
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    while True:
        digits = f"{rng.randrange(1, 29):02d}{rng.randrange(1, 13):02d}{rng.randrange(40, 99):02d}{rng.randrange(4):d}" \
                 f"{rng.randrange(1000):03d}"
        if (sum(int(d) * w for d, w in zip(digits, weights)) % 11 == 0) == valid:
            return rng.choice((digits, f"{digits[:6]}-{digits[6:]}", f"{digits[:6]} {digits[6:]}"))


def _phone(rng: random.Random) -> str:
    n = f"{rng.choice('2345678')}{rng.randrange(10**7):07d}"
    return rng.choice((" ".join(n[k:k + 2] for k in range(0, 8, 2)), n, f"+45 {n}", f"{n[:4]} {n[4:]}"))


def table_csv(path: Path, rows: int, seed: int = 16) -> Path:
    """A contact list with a notes column, and values in columns where nobody expects them."""
    rng = random.Random(seed)
    header = ["Kundenr", "Navn", "Telefon", "E-mail", "Adresse", "Postnr", "By", "Firma", "Fødselsdato", "Noter"]
    lines = [";".join(header)]
    for i in range(1, rows + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name, mail = f"{first} {last}", f"{first.lower()}.{last.lower()}{i % 97}@kunde.dk".replace("ø", "oe")
        postcode, town = rng.choice(TOWNS)
        values = {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "first": rng.choice(FIRST), "last": rng.choice(LAST),
                  "cpr": _cpr(rng), "phone": _phone(rng), "mail": mail, "pnum": f"10{rng.randrange(10**8):08d}"}
        row = [str(i), name, _phone(rng), mail, f"Vestergade {rng.randrange(1, 99)}", postcode, town,
               rng.choice(["Hansen Emballage A/S", "Bo Bolig ApS", "", "Kommunen", "Jensen & Søn"]),
               rng.choice(["", "12-03-1970", _cpr(rng, valid=False)]), rng.choice(NOTES).format(**values)]
        surprise = rng.random()
        if surprise < 0.03:
            row[1] = _phone(rng)  # a phone in the name column
        elif surprise < 0.06:
            row[0] = _cpr(rng)  # a CPR in the customer-number column
        elif surprise < 0.09:
            row[7] = mail  # an e-mail in the company column
        elif surprise < 0.12:
            row[2] = name  # a name in the phone column
        elif surprise < 0.14:
            row[1] = name.upper()
        elif surprise < 0.16:
            row[6] = f"{town} ({rng.choice(NOTES[4:9])})"
        lines.append(";".join(f'"{c}"' if "\n" in c or ";" in c else c for c in row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _findings(findings) -> list[list]:
    return [[f.entity_type, f.category, f.score, f.masked, f.value_hash, f.where] for f in findings]


def _entities(entities) -> list[list]:
    return [[e.entity_type, e.start, e.end, round(e.score, 6)] for e in entities]


def table_findings(detector, path: Path) -> list[list]:
    from scanner.extract.text import extract_csv
    from scanner.model import Blob

    blob = Blob(name=path.name, size=path.stat().st_size, open=lambda: open(path, "rb"), path=str(path))
    return _findings(detector.findings_in(list(extract_csv(blob).segments)))


def collect(quick: bool = False, dane: Path = DANE_DEV) -> dict[str, list]:
    """Everything compared, by part name."""
    sys.path.insert(0, str(REPO))
    from bench.bench_bigfiles import make_file
    from bench.bench_detectors import read_conll
    from bench.corpus import corpus
    from bench.realistic_corpus import corpus as realistic
    from detectors.detector import Detector
    from scanner.model import Segment

    detector = Detector(b"same" * 8)
    out: dict[str, list] = {}
    out["a corpus"] = [_entities(detector.entities(d.text)) for d in corpus(100 if quick else 600)]
    if dane.exists():
        out["b DaNE dev"] = _entities(detector.entities(read_conll(dane)[0]))
    docs = realistic(60 if quick else 300)
    out["d realistic, segments"] = [_entities(detector.entities(s)) for d in docs for s in d.segment_texts()]
    out["d realistic, items"] = [_findings(detector.findings_in([Segment(s) for s in d.segment_texts()])) for d in docs]
    with tempfile.TemporaryDirectory() as tmp:
        out["table with surprises"] = table_findings(detector, table_csv(Path(tmp) / "contacts.csv", 600 if quick else 3000))
        share = make_file(Path(tmp), "csv", 1)
        out["bench_bigfiles contacts, 1 MB"] = table_findings(detector, next(share.iterdir()))
    return out


def digest(items: list) -> str:
    return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", type=Path, default=None, help="import the detectors from this checkout instead")
    parser.add_argument("--save", type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--dane", type=Path, default=DANE_DEV, help="DaNE's dev set (CoNLL)")
    args = parser.parse_args()
    global REPO
    if args.code:
        REPO = args.code.resolve()
    sys.path.insert(0, str(REPO))
    found = collect(args.quick, args.dane)
    for part, items in found.items():
        print(f"{part}: {sum(len(x) if isinstance(x, list) and x and isinstance(x[0], list) else 1 for x in items)}"
              f" entries, digest {digest(items)}")
    if args.save:
        args.save.write_text(json.dumps(found, ensure_ascii=False))
    if args.compare:
        before = json.loads(args.compare.read_text())
        differ = [part for part in before if before[part] != found.get(part)]
        for part in differ:
            old, new = before[part], found.get(part) or []
            print(f"DIFFERENT: {part}")
            shown = 0
            for k, (x, y) in enumerate(zip(old, new)):
                if x != y and shown < 5:
                    print(f"  [{k}] before: {x}\n  [{k}] now:    {y}")
                    shown += 1
            if len(old) != len(new):
                print(f"  {len(old)} entries before, {len(new)} now")
        print("same findings" if not differ else f"{len(differ)} part(s) differ")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
