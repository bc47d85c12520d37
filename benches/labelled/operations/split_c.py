#!/usr/bin/env python3
"""Split part c of the operations set (letter c) into dev3c/ and heldout4c/.

Input (written before anything used the set): the articles in /tmp/ops-c/all/
(cNNN-description.txt) and their labels in /tmp/ops-c/labels-all.jsonl (file
"all/cNNN-description.txt").

Articles are split by unit: articles sharing a group (syndicated copies,
follow-ups) form one unit and stay together; every other article with
operations is a unit of its own; trap-only articles (no label) are shuffled
apart and spread over both splits. random.Random(3003) shuffles the units and
about 60% of the articles go to dev3c/, the rest to heldout4c/. Files are
renumbered NN-description.txt in each folder, in their original order.

Writes dev3c/, heldout4c/, labels-dev3c.jsonl, labels-heldout4c.jsonl,
articles-dev3c.tsv, articles-heldout4c.tsv (file, split, labelled operations).
"""
import json, os, random, shutil

SRC = "/tmp/ops-c"
HERE = os.path.dirname(os.path.abspath(__file__))
SPLITS = ("dev3c", "heldout4c")
SHARE = 0.6

files = sorted(f for f in os.listdir(os.path.join(SRC, "all")) if f.endswith(".txt"))
labels = [json.loads(l) for l in open(os.path.join(SRC, "labels-all.jsonl"), encoding="utf-8") if l.strip()]
by_file = {}
for l in labels:
    by_file.setdefault(os.path.basename(l["file"]), []).append(l)

# union-find over articles linked by a group
parent = {f: f for f in files}
def find(f):
    while parent[f] != f:
        parent[f] = parent[parent[f]]
        f = parent[f]
    return f
first_of_group = {}
for l in labels:
    f = os.path.basename(l["file"])
    if l["group"]:
        g = first_of_group.setdefault(l["group"], f)
        parent[find(f)] = find(g)
units = {}
for f in files:
    if f in by_file:
        units.setdefault(find(f), []).append(f)
units = sorted(units.values())
traps = [f for f in files if f not in by_file]

rng = random.Random(3003)
rng.shuffle(units)
rng.shuffle(traps)
split_of = {}
target = round(SHARE * sum(len(u) for u in units))
n_dev = 0
for u in units:
    s = SPLITS[0] if n_dev < target else SPLITS[1]
    n_dev += len(u) if s == SPLITS[0] else 0
    for f in u:
        split_of[f] = s
for i, f in enumerate(traps):
    split_of[f] = SPLITS[0] if i < round(SHARE * len(traps)) else SPLITS[1]

for s in SPLITS:
    d = os.path.join(HERE, s)
    if os.path.isdir(d):
        for x in os.listdir(d):
            os.remove(os.path.join(d, x))
    else:
        os.makedirs(d)
    mine = [f for f in files if split_of[f] == s]
    rows, out = [], []
    for n, f in enumerate(mine, 1):
        new = f"{n:02d}-{f.split('-', 1)[1]}"
        shutil.copyfile(os.path.join(SRC, "all", f), os.path.join(d, new))
        ls = by_file.get(f, [])
        rows.append(f"{s}/{new}\t{s}\t{len(ls)}")
        for l in ls:
            l = dict(l, file=f"{s}/{new}")
            out.append(json.dumps(l, ensure_ascii=False))
    with open(os.path.join(HERE, f"labels-{s}.jsonl"), "w", encoding="utf-8") as w:
        w.write("".join(x + "\n" for x in out))
    with open(os.path.join(HERE, f"articles-{s}.tsv"), "w", encoding="utf-8") as w:
        w.write("".join(r + "\n" for r in rows))
    print(f"{s}: {len(mine)} articles, {len(out)} operations, "
          f"{sum(1 for f in mine if f not in by_file)} trap-only")
