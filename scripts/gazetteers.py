#!/usr/bin/env python3
"""Rebuilds the name lists in kb/gazetteers/ from open data packages on PyPI.

The lists feed the NER tagger's gazetteer features (`newsgraph ner train --gazetteer-lists`);
see kb/gazetteers/README.md for sources and licences. Run from the repository root:

    python3 scripts/gazetteers.py

It downloads three pinned packages with pip into a temporary folder (no install) and writes
one sorted, de-duplicated name per line, so the same versions give the same files.
"""

import json
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

PACKAGES = ["names==0.3.0", "pytickersymbols==1.17.10", "pycountry==26.2.16"]
OUT = pathlib.Path("kb/gazetteers")

# Legal-form endings that news text usually leaves out ("Xylem Inc." is written "Xylem").
LEGAL = re.compile(
    r",?\s+(inc\.?|incorporated|corp\.?|corporation|co\.?,?\s*ltd\.?|ltd\.?|limited|plc|"
    r"ag|se|sa|s\.a\.|n\.v\.|nv|spa|s\.p\.a\.|holdings?|group|company|& co\.?)$",
    re.IGNORECASE,
)


def census_names(path):
    """Names of a US Census 1990 frequency file, title-cased ('MCDONALD' -> 'Mcdonald':
    the tagger matches names case-folded)."""
    for line in path.read_text().splitlines():
        fields = line.split()
        if fields:
            yield fields[0].title()


def company_names(indices):
    for index in indices.values():
        for company in index.get("companies", []):
            name = company["name"].strip()
            yield name
            short = name
            while True:
                stripped = LEGAL.sub("", short).strip()
                if stripped == short:
                    break
                short = stripped
            if short and short != name:
                yield short


def write(name, entries):
    entries = sorted({e.strip() for e in entries if e and e.strip()})
    (OUT / name).write_text("".join(e + "\n" for e in entries))
    print(f"{OUT / name}: {len(entries)} names")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp)]
            + PACKAGES,
            check=True,
        )
        with tarfile.open(next(tmp.glob("names-*.tar.gz"))) as t:
            t.extractall(tmp / "names", filter="data")
        census = next((tmp / "names").glob("names-*/names"))
        for wheel in tmp.glob("*.whl"):
            with zipfile.ZipFile(wheel) as z:
                z.extractall(tmp / "wheels")
        wheels = tmp / "wheels"

        write(
            "first_names.txt",
            list(census_names(census / "dist.male.first"))
            + list(census_names(census / "dist.female.first")),
        )
        write("surnames.txt", census_names(census / "dist.all.last"))

        sys.path.insert(0, str(wheels))
        from pytickersymbols.indices_data import INDICES

        write("companies.txt", company_names(INDICES))

        databases = wheels / "pycountry" / "databases"
        subdivisions = json.loads((databases / "iso3166-2.json").read_text())["3166-2"]
        write("subdivisions.txt", (s["name"] for s in subdivisions))
        languages = json.loads((databases / "iso639-3.json").read_text())["639-3"]
        write(
            "languages.txt",
            (l["name"] for l in languages if "alpha_2" in l),
        )


if __name__ == "__main__":
    main()
