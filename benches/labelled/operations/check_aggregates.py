#!/usr/bin/env python3
"""Validate the labels and article lists and recompute the aggregate answers.

labels.jsonl / articles.tsv cover dev, heldout and heldout2; every later split
SPLIT keeps its own labels-SPLIT.jsonl / articles-SPLIT.tsv (all such files are
loaded, sorted by name, and validated the same way).

aggregates.jsonl is recomputed over the dev and heldout splits only; every
aggregates-SPLIT.jsonl over the SPLIT split only.

Run from anywhere: python3 benches/labelled/operations/check_aggregates.py
Prints every recomputed answer and whether it matches the stored one; exits 1
on any validation error or mismatch.
"""
import glob, json, os, sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
KINDS = {"construction", "rehabilitation", "demolition", "acquisition-amelioration",
         "transformation", "residence-etudiante", "other"}
# rank of milestones: livraison > inauguration > demarrage/premiere-pierre > permis > signature > annonce
RANK = {"livraison": 5, "inauguration": 4, "demarrage": 3, "premiere-pierre": 3,
        "permis": 2, "signature": 1, "annonce": 0}
# splits of labels.jsonl / articles.tsv; later splits come from the names of articles-SPLIT.tsv
BASE_SPLITS = ("dev", "heldout", "heldout2")
# aggregate files and the splits whose labels each one is computed over
# (aggregates-SPLIT.jsonl is computed over SPLIT alone)
AGGREGATES = [("aggregates.jsonl", ("dev", "heldout"))] + [
    (os.path.basename(p), (os.path.basename(p)[len("aggregates-"):-len(".jsonl")],))
    for p in sorted(glob.glob(os.path.join(HERE, "aggregates-*.jsonl")))]
KEYS = ["file", "commune", "site", "kind", "dwellings", "dwellings_derived", "by_product",
        "surface_m2", "milestone", "cost_eur", "group"]

errors = []

def load_communes():
    c = {}
    with open(os.path.join(ROOT, "data", "communes.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            p = line.rstrip("\n").split("\t")
            # a merged commune shares its code with its communes déléguées (type D):
            # the current commune (type A) wins whatever the order of the lines
            if p[0] in c and c[p[0]]["type"] == "A":
                continue
            c[p[0]] = {"name": p[1], "departement": p[2], "region": p[3], "type": p[5]}
    return c

def load_products():
    s = set()
    with open(os.path.join(ROOT, "data", "products.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                s.add(line.split("\t")[0])
    return s

COMMUNES = load_communes()
PRODUCTS = load_products()
# labels kept as written because products.tsv does not know them (see README)
EXTRA_PRODUCTS = {"LU", "accession"}

def suffix(path, prefix, ext):
    """labels-dev2.jsonl -> dev2; labels.jsonl -> None"""
    name = os.path.basename(path)
    return name[len(prefix) + 1:-len(ext)] if name.startswith(prefix + "-") else None

LABEL_FILES = ["labels.jsonl"] + sorted(os.path.basename(p) for p in glob.glob(os.path.join(HERE, "labels-*.jsonl")))
ARTICLE_FILES = ["articles.tsv"] + sorted(os.path.basename(p) for p in glob.glob(os.path.join(HERE, "articles-*.tsv")))
SPLITS = BASE_SPLITS + tuple(s for s in (suffix(a, "articles", ".tsv") for a in ARTICLE_FILES[1:])
                             if s not in BASE_SPLITS)

# labels in file order (labels.jsonl first, then labels-*.jsonl sorted); label_where[i] = (label file, line)
labels, label_where = [], []
for lf in LABEL_FILES:
    for i, l in enumerate(open(os.path.join(HERE, lf), encoding="utf-8"), 1):
        if l.strip():
            labels.append(json.loads(l))
            label_where.append((lf, i))
articles, article_source = {}, {}
for af in ARTICLE_FILES:
    want = suffix(af, "articles", ".tsv")
    for line in open(os.path.join(HERE, af), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f, split, n = line.rstrip("\n").split("\t")
        if f in articles:
            errors.append(f"{f}: listed in both {article_source[f]} and {af}")
            continue
        if want is not None and split != want:
            errors.append(f"{af}: {f} has split {split}, expected {want}")
        elif want is None and split not in BASE_SPLITS:
            errors.append(f"{af}: {f} has split {split}, expected one of {', '.join(BASE_SPLITS)}")
        articles[f] = (split, int(n))
        article_source[f] = af
for lf in LABEL_FILES[1:]:
    if "articles-" + suffix(lf, "labels", ".jsonl") + ".tsv" not in ARTICLE_FILES:
        errors.append(f"{lf}: no matching articles-{suffix(lf, 'labels', '.jsonl')}.tsv")

# ---- validation
for f, (split, n) in articles.items():
    if not f.startswith(split + "/"):
        errors.append(f"{f}: split {split} does not match its folder")
    path = os.path.join(HERE, f)
    if not os.path.exists(path):
        errors.append(f"{f}: missing file")
        continue
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    if len(lines) < 3 or not lines[0].strip() or lines[1].strip():
        errors.append(f"{f}: first line must be the title, then a blank line")
for f, (split, n) in articles.items():
    if split not in SPLITS:
        errors.append(f"{f}: unknown split {split}")
on_disk = set()
for s in SPLITS:
    if not os.path.isdir(os.path.join(HERE, s)):
        errors.append(f"{s}/: missing folder")
        continue
    on_disk |= {s + "/" + x for x in os.listdir(os.path.join(HERE, s))}
for f in sorted(on_disk - set(articles)):
    errors.append(f"{f}: not listed in {' / '.join(ARTICLE_FILES)}")
count = Counter(l["file"] for l in labels)
count_source = defaultdict(set)
for l, (lf, _) in zip(labels, label_where):
    count_source[l["file"]].add(lf)
for f, (split, n) in articles.items():
    if count.get(f, 0) != n:
        src = sorted(count_source[f]) or [LABEL_FILES[0] if split in BASE_SPLITS else f"labels-{split}.jsonl"]
        errors.append(f"{f}: {article_source[f]} says {n}, {' + '.join(src)} "
                      f"{'has' if len(src) == 1 else 'have'} {count.get(f, 0)}")
for l, (lf, i) in zip(labels, label_where):
    where = f"{lf}:{i} ({l.get('file')})"
    if [k for k in l if k != "note"] != KEYS:
        errors.append(f"{where}: keys {list(l)}")
    want = suffix(lf, "labels", ".jsonl")
    if l["file"] not in articles:
        errors.append(f"{where}: file not in {' / '.join(ARTICLE_FILES)}")
    elif want is not None and articles[l["file"]][0] != want:
        errors.append(f"{where}: file of split {articles[l['file']][0]}, expected {want}")
    elif want is None and articles[l["file"]][0] not in BASE_SPLITS:
        errors.append(f"{where}: file of split {articles[l['file']][0]} belongs in labels-{articles[l['file']][0]}.jsonl")
    code, _, name = l["commune"].partition(" ")
    c = COMMUNES.get(code)
    if not c or c["name"] != name or c["type"] != "A":
        errors.append(f"{where}: commune {l['commune']!r} not a current commune of communes.tsv")
    if l["kind"] not in KINDS:
        errors.append(f"{where}: kind {l['kind']}")
    for p, v in l["by_product"].items():
        if p not in PRODUCTS and p not in EXTRA_PRODUCTS:
            errors.append(f"{where}: product {p} unknown")
        if not isinstance(v, int) or v <= 0:
            errors.append(f"{where}: product count {p}={v}")
    s = sum(l["by_product"].values())
    if l["dwellings_derived"]:
        if l["dwellings"] != s:
            errors.append(f"{where}: derived total {l['dwellings']} != sum of products {s}")
    elif l["dwellings"] is not None and s > l["dwellings"]:
        errors.append(f"{where}: products ({s}) exceed the stated total")
    m = l["milestone"]
    if m is not None:
        if m["kind"] not in RANK or not (1990 <= m["year"] <= 2035) or m["month"] not in (None, *range(1, 13)):
            errors.append(f"{where}: milestone {m}")
        # later splits say whether the milestone was reached or is planned
        if set(m) - {"kind", "year", "month", "planned"} or not isinstance(m.get("planned", False), bool):
            errors.append(f"{where}: milestone {m}")
    if l["group"] is not None and not l["group"].startswith("g-"):
        errors.append(f"{where}: group {l['group']}")
groups, group_files = defaultdict(set), defaultdict(set)
for l, (lf, _) in zip(labels, label_where):
    if l["group"]:
        group_files[l["group"]].add(lf)
        if l["file"] in articles:
            groups[l["group"]].add(articles[l["file"]][0])
for g, splits in groups.items():
    if len(splits) > 1:
        errors.append(f"group {g} crosses splits ({', '.join(sorted(splits))})")
for g, files in group_files.items():
    if len(files) > 1:
        errors.append(f"group {g} used in several label files ({', '.join(sorted(files))})")

# ---- aggregates: every group counted once, with the figures of its most advanced milestone
def dedup(labels):
    out, best = [], {}
    for l in labels:
        if l["group"] is None:
            out.append(l)
            continue
        r = RANK[l["milestone"]["kind"]] if l["milestone"] else -1
        if l["group"] not in best or r > best[l["group"]][0]:
            best[l["group"]] = (r, l)   # ties: first label in file order
    return out + [l for _, l in best.values()]

def keep(l, flt):
    c = COMMUNES[l["commune"].split(" ")[0]]
    m = l["milestone"]
    for k, v in flt.items():
        if k == "commune" and l["commune"].split(" ")[0] != v: return False
        if k == "departement" and c["departement"] != v: return False
        if k == "region" and c["region"] != v: return False
        if k == "kind" and l["kind"] != v: return False
        if k == "milestone" and (m is None or m["kind"] != v): return False
        if k == "milestone_year_from" and (m is None or m["year"] < v): return False
        if k == "product" and v not in l["by_product"]: return False
    return True

def value(l, what):
    if what == "count": return 1
    if what == "dwellings": return l["dwellings"] or 0
    if what == "cost": return l["cost_eur"] or 0
    return l["by_product"].get(what, 0)

def compute(q, ops):
    sel = [l for l in ops if keep(l, q["filters"])]
    gb, what = q["group_by"], q["sum"]
    if gb is None:
        return sum(value(l, what) for l in sel)
    acc = defaultdict(int)
    for l in sel:
        code = l["commune"].split(" ")[0]
        if gb == "product":
            # one bucket per product the operation carries: count = operations, dwellings = units of that product
            for p, n in l["by_product"].items():
                acc[p] += 1 if what == "count" else n if what == "dwellings" else value(l, what)
            continue
        key = {"commune": code, "departement": COMMUNES[code]["departement"],
               "region": COMMUNES[code]["region"], "kind": l["kind"],
               "year": str(l["milestone"]["year"]) if l["milestone"] else None}[gb]
        if key is None: continue
        acc[key] += value(l, what)
    return {k: v for k, v in sorted(acc.items()) if v}

bad = 0
for agg_file, splits in AGGREGATES:
    sel = [l for l in labels if l["file"] in articles and articles[l["file"]][0] in splits]
    ops = dedup(sel)
    print(f"== {agg_file} over {' + '.join(splits)}: {len(sel)} labels, "
          f"{len(ops)} distinct operations after counting each group once")
    for line in open(os.path.join(HERE, agg_file), encoding="utf-8"):
        if not line.strip(): continue
        q = json.loads(line)
        got = compute(q, ops)
        ok = got == q["answer"]
        bad += not ok
        print(f"{'OK  ' if ok else 'DIFF'} {q['question']}: {json.dumps(got, ensure_ascii=False)}"
              + ("" if ok else f"  (stored {json.dumps(q['answer'], ensure_ascii=False)})"))
for e in errors:
    print("ERROR", e)
print("all answers match" if not bad and not errors else f"{bad} mismatches, {len(errors)} validation errors")
sys.exit(1 if bad or errors else 0)
