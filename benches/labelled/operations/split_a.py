#!/usr/bin/env python3
"""Split part a of the labelled operations set into dev3a/ and heldout4a/.

Input (scratch, written before anything used the set):
  /tmp/ops-a/all/NN-short-description.txt   the 100 articles
  /tmp/ops-a/labels-all.jsonl               their labels (file = "all/NN-....txt")
  /tmp/ops-a/traps.json                     articles holding only traps (no label)

Seeded random.Random(3001). Articles linked by a shared `group` (syndicated
copies, follow-ups) form one unit and land in the same split; about 60 % of the
labelled articles go to dev3a, 40 % to heldout4a. Trap-only articles are shuffled
and spread over both splits with the same ratio. Within each split, files are
renumbered 01, 02, ... in their original order, keeping the short description.

Writes (next to this script): dev3a/, heldout4a/, labels-dev3a.jsonl,
labels-heldout4a.jsonl, articles-dev3a.tsv, articles-heldout4a.tsv
(same format as articles-dev2.tsv: file, split, number of labelled operations).
Articles are copied, the scratch folder is left as it is.
"""
import json, os, random, shutil, sys

SRC = "/tmp/ops-a"
HERE = os.path.dirname(os.path.abspath(__file__))
SPLITS = ("dev3a", "heldout4a")
DEV_SHARE = 0.6

rng = random.Random(3001)
labels = [json.loads(l) for l in open(os.path.join(SRC, "labels-all.jsonl"), encoding="utf-8") if l.strip()]
traps = sorted(json.load(open(os.path.join(SRC, "traps.json"))))
files = sorted("all/" + f for f in os.listdir(os.path.join(SRC, "all")) if f.endswith(".txt"))
labelled = sorted({l["file"] for l in labels})
assert set(labelled) | set(traps) == set(files) and not set(labelled) & set(traps)

# units: articles connected through a shared group (union-find)
parent = {f: f for f in labelled}
def find(f):
    while parent[f] != f:
        parent[f] = parent[parent[f]]
        f = parent[f]
    return f
first_of_group = {}
for l in labels:
    g = l["group"]
    if g is None:
        continue
    if g in first_of_group:
        parent[find(l["file"])] = find(first_of_group[g])
    else:
        first_of_group[g] = l["file"]
units = {}
for f in labelled:
    units.setdefault(find(f), []).append(f)
units = sorted(sorted(u) for u in units.values())
rng.shuffle(units)

split_of = {}
target = round(DEV_SHARE * len(labelled))
n_dev = 0
for u in units:
    s = "dev3a" if n_dev < target else "heldout4a"
    n_dev += len(u) if s == "dev3a" else 0
    for f in u:
        split_of[f] = s
t = list(traps)
rng.shuffle(t)
k = round(DEV_SHARE * len(t))
for i, f in enumerate(t):
    split_of[f] = "dev3a" if i < k else "heldout4a"

# renumber within each split, in original order
def order(f):
    return int(os.path.basename(f).split("-", 1)[0])
new_name = {}
for s in SPLITS:
    mine = sorted((f for f in files if split_of[f] == s), key=order)
    for i, f in enumerate(mine, 1):
        desc = os.path.basename(f).split("-", 1)[1]
        new_name[f] = f"{s}/{i:02d}-{desc}"

for s in SPLITS:
    d = os.path.join(HERE, s)
    if os.path.exists(d) and os.listdir(d):
        sys.exit(f"{d} is not empty: remove it before splitting again")
    os.makedirs(d, exist_ok=True)
for f in files:
    shutil.copy(os.path.join(SRC, f), os.path.join(HERE, new_name[f]))

for s in SPLITS:
    mine = sorted((f for f in files if split_of[f] == s), key=order)
    with open(os.path.join(HERE, f"labels-{s}.jsonl"), "w", encoding="utf-8") as out:
        for f in mine:
            for l in labels:
                if l["file"] == f:
                    l = dict(l, file=new_name[f])
                    out.write(json.dumps(l, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, f"articles-{s}.tsv"), "w", encoding="utf-8") as out:
        for f in mine:
            out.write(f"{new_name[f]}\t{s}\t{sum(1 for l in labels if l['file'] == f)}\n")
    n_ops = sum(1 for l in labels if split_of[l["file"]] == s)
    n_traps = sum(1 for f in mine if f in traps)
    print(f"{s}: {len(mine)} articles ({n_traps} trap-only), {n_ops} labelled operations")
