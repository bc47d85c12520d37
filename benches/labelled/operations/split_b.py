#!/usr/bin/env python3
"""Split part b of the operations set (written blind) into dev3b/ and heldout4b/.

Input (scratch, not in the repository): /tmp/ops-b/all/NNN-description.txt and
/tmp/ops-b/labels-all.jsonl (one label per operation, file = name in all/).
Articles linked by a shared group (syndicated copies, follow-ups) form one
cluster and go to the same split; trap-only articles (no label) are shuffled
apart and spread over both splits. random.Random(3002) shuffles the clusters;
about 60 % of the articles go to dev3b/, the rest to heldout4b/. In each folder
the articles keep their relative order and are renumbered 01, 02, ...

Writes dev3b/, heldout4b/, labels-dev3b.jsonl, labels-heldout4b.jsonl,
articles-dev3b.tsv, articles-heldout4b.tsv next to this script.
"""
import json, os, random, shutil

SRC = "/tmp/ops-b/all"
LABELS = "/tmp/ops-b/labels-all.jsonl"
HERE = os.path.dirname(os.path.abspath(__file__))
SPLITS = ("dev3b", "heldout4b")
DEV_SHARE = 0.6

files = sorted(f for f in os.listdir(SRC) if f.endswith(".txt"))
labels = [json.loads(l) for l in open(LABELS, encoding="utf-8") if l.strip()]

# clusters: union-find over articles sharing a group id
parent = {f: f for f in files}
def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
first_of_group = {}
for l in labels:
    g = l["group"]
    if g is None:
        continue
    if g in first_of_group:
        a, b = find(first_of_group[g]), find(l["file"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    else:
        first_of_group[g] = l["file"]
clusters = {}
for f in files:
    clusters.setdefault(find(f), []).append(f)
labelled = {l["file"] for l in labels}
op_clusters = sorted((c for c in clusters.values() if any(f in labelled for f in c)), key=lambda c: c[0])
traps = sorted(f for f in files if f not in labelled)

rng = random.Random(3002)
rng.shuffle(op_clusters)
rng.shuffle(traps)
assign = {}
n_ops_articles = sum(len(c) for c in op_clusters)
dev_n = 0
for c in op_clusters:
    split = "dev3b" if dev_n < DEV_SHARE * n_ops_articles else "heldout4b"
    if split == "dev3b":
        dev_n += len(c)
    for f in c:
        assign[f] = split
n_trap_dev = round(DEV_SHARE * len(traps))
for i, f in enumerate(traps):
    assign[f] = "dev3b" if i < n_trap_dev else "heldout4b"

# new names: NN-description.txt, relative order kept
new_name = {}
for s in SPLITS:
    folder = os.path.join(HERE, s)
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    for i, f in enumerate(sorted(f for f in files if assign[f] == s), 1):
        new_name[f] = "%s/%02d-%s" % (s, i, f.split("-", 1)[1])
        shutil.copyfile(os.path.join(SRC, f), os.path.join(HERE, new_name[f]))

for s in SPLITS:
    mine = sorted((f for f in files if assign[f] == s), key=lambda f: new_name[f])
    with open(os.path.join(HERE, "labels-%s.jsonl" % s), "w", encoding="utf-8") as out:
        for f in mine:
            for l in labels:
                if l["file"] == f:
                    l2 = dict(l, file=new_name[f])
                    out.write(json.dumps(l2, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "articles-%s.tsv" % s), "w", encoding="utf-8") as out:
        for f in mine:
            out.write("%s\t%s\t%d\n" % (new_name[f], s, sum(1 for l in labels if l["file"] == f)))
    n_ops = sum(1 for l in labels if assign[l["file"]] == s)
    print("%s: %d articles, %d operations, %d trap-only" % (s, len(mine), n_ops, sum(1 for f in mine if f in traps)))
