#!/usr/bin/env python3
"""Split the judged queries into a development set and a held-out set.

Usage: python3 split.py ALL.jsonl
Reads every query from ALL.jsonl (kept outside this folder), groups them by
`kind`, shuffles each group with random.Random(2027) and assigns about 60 % of
each group to queries-dev.jsonl and the rest to queries-heldout.jsonl. The
split is deterministic: rerunning it on the same file gives the same sets.
"""
import json, os, random, sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))


def main(path):
    queries = [json.loads(l) for l in open(path, encoding='utf-8') if l.strip()]
    by_kind = defaultdict(list)
    for q in queries:
        by_kind[q['kind']].append(q)
    rng = random.Random(2027)
    dev, held = [], []
    carry = 0.0
    for kind in sorted(by_kind):
        group = by_kind[kind]
        rng.shuffle(group)
        exact = 0.6 * len(group) + carry
        n_dev = int(round(exact))
        carry = exact - n_dev          # keeps the overall ratio near 60/40 for small kinds
        dev += group[:n_dev]
        held += group[n_dev:]
    for name, part in (('queries-dev.jsonl', dev), ('queries-heldout.jsonl', held)):
        with open(os.path.join(HERE, name), 'w', encoding='utf-8') as f:
            for q in part:
                f.write(json.dumps(q, ensure_ascii=False) + '\n')
    print(f'{len(dev)} dev, {len(held)} held-out')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else '/tmp/relevance-all-queries.jsonl')
