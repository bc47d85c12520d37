#!/usr/bin/env python3
"""Regenerates data/communes.tsv, data/departements.tsv and data/regions.tsv
from the official list of French communes, the npm package
@etalab/decoupage-administratif (Licence Ouverte / MIT).

Usage: scripts/update-communes.py [VERSION]   (default: the version below)

It fetches the package with `npm pack` into a temporary folder, so it needs
npm and access to the npm registry; nothing is installed. The derived files
are committed and embedded in the logis binary: rerun this script, review the
diff and commit to refresh them.
"""

import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "@etalab/decoupage-administratif"
DEFAULT_VERSION = "6.0.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")

# Entry types, one letter each in the derived file.
TYPES = {
    "commune-actuelle": "A",
    "commune-deleguee": "D",
    "commune-associee": "S",
    "arrondissement-municipal": "M",
}


def fetch(version, workdir):
    spec = f"{PACKAGE}@{version}"
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"],
        cwd=workdir, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    with tarfile.open(os.path.join(workdir, out)) as tar:
        tar.extractall(workdir, filter="data")
    package = os.path.join(workdir, "package")
    with open(os.path.join(package, "package.json"), encoding="utf-8") as f:
        meta = json.load(f)
    load = lambda name: json.load(open(os.path.join(package, "data", name), encoding="utf-8"))
    return meta, load("communes.json"), load("departements.json"), load("regions.json")


def clean(text):
    return text.replace("\t", " ").replace("\n", " ").strip()


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in header:
            f.write(f"# {line}\n")
        for row in rows:
            f.write("\t".join(str(v) for v in row) + "\n")


def main():
    version = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_VERSION
    with tempfile.TemporaryDirectory() as workdir:
        meta, communes, departements, regions = fetch(version, workdir)
    source = f"{PACKAGE} {meta['version']} ({meta.get('license', '?')}), derived by scripts/update-communes.py"

    write(
        os.path.join(DATA, "regions.tsv"),
        [source, "code\tname"],
        sorted((r["code"], clean(r["nom"])) for r in regions),
    )
    write(
        os.path.join(DATA, "departements.tsv"),
        [source, "code\tname\tregion"],
        sorted((d["code"], clean(d["nom"]), d["region"]) for d in departements),
    )
    rows = []
    for c in communes:
        kind = TYPES.get(c["type"])
        if kind is None:
            continue
        parent = c.get("chefLieu") or c.get("commune") or ""
        if parent == c["code"] and kind == "A":
            parent = ""
        merged = 1 if c.get("anciensCodes") else 0
        rows.append((
            c["code"], clean(c["nom"]), c["departement"], c["region"],
            c.get("population", 0), kind, parent, merged,
        ))
    rows.sort(key=lambda r: (r[0], r[5]))
    write(
        os.path.join(DATA, "communes.tsv"),
        [source,
         "type: A commune, D commune deleguee, S commune associee, M arrondissement municipal; "
         "parent: the current commune a D, S or M entry belongs to; "
         "merged: 1 when the commune absorbed former communes (anciensCodes)",
         "insee\tname\tdepartement\tregion\tpopulation\ttype\tparent\tmerged"],
        rows,
    )
    counts = {k: sum(1 for r in rows if r[5] == k) for k in TYPES.values()}
    print(f"{meta['version']}: {len(regions)} regions, {len(departements)} departements, "
          f"{len(rows)} communes {counts}")


if __name__ == "__main__":
    main()
