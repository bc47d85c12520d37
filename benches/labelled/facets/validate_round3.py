#!/usr/bin/env python3
"""Check the round-3 facet labels (labels-dev2.jsonl, labels-heldout2.jsonl).

Standard library only. Usage, from anywhere:

    python3 benches/labelled/facets/validate_round3.py [--decoupage DIR]

DIR holds epci.json and ept.json of @etalab/decoupage-administratif
(default: /tmp/decoupage/package/data, or $DECOUPAGE_DATA). Exits 1 on any error.
"""
import datetime, json, os, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
DATA = os.path.join(REPO, 'data')
SPLITS = ('dev2', 'heldout2')
KEYS = ['file', 'communes', 'about', 'departements', 'epcis', 'organisations',
        'programmes', 'products', 'years', 'date']
HISTORIC = {'PLA', 'PALULOS', 'PCL', 'PLATS', 'HBM', 'ILM'}
LIST_KEYS = KEYS[1:9]


def tsv(name):
    with open(os.path.join(DATA, name), encoding='utf-8') as f:
        return [l.rstrip('\n').split('\t') for l in f if l.strip() and not l.startswith('#')]


def main():
    args = sys.argv[1:]
    dec = os.environ.get('DECOUPAGE_DATA', '/tmp/decoupage/package/data')
    if '--decoupage' in args:
        dec = args[args.index('--decoupage') + 1]
    communes = {p[0]: (p[1], p[2]) for p in tsv('communes.tsv') if p[5] == 'A'}
    departements = {p[0] for p in tsv('departements.tsv')}
    programmes = {p[0] for p in tsv('programmes.tsv')}
    products = {p[0] for p in tsv('products.tsv')} | HISTORIC
    epcis = {}
    for name in ('epci.json', 'ept.json'):
        path = os.path.join(dec, name)
        if not os.path.exists(path):
            sys.exit(f'error: {path} not found (give --decoupage DIR)')
        with open(path, encoding='utf-8') as f:
            for e in json.load(f):
                epcis[e['code']] = e['nom']
    errors = []
    def err(where, msg):
        errors.append(f'{where}: {msg}')
    summary = {}
    for split in SPLITS:
        lpath = os.path.join(HERE, f'labels-{split}.jsonl')
        seen = set()
        counts = Counter(); styles = Counter(); dates = Counter()
        with open(lpath, encoding='utf-8') as f:
            lines = [l for l in f if l.strip()]
        for n, line in enumerate(lines, 1):
            where = f'labels-{split}.jsonl:{n}'
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                err(where, f'invalid JSON ({e})'); continue
            if list(row) != KEYS:
                err(where, f'keys {list(row)} != {KEYS}'); continue
            fn = row['file']; where = f'{where} {fn}'
            if not isinstance(fn, str) or not fn.startswith(split + '/'):
                err(where, f'file not under {split}/')
            elif not os.path.isfile(os.path.join(HERE, fn)):
                err(where, 'file does not exist')
            if fn in seen: err(where, 'labelled twice')
            seen.add(fn)
            for k in LIST_KEYS:
                v = row[k]
                if not isinstance(v, list):
                    err(where, f'{k} is not a list'); continue
                typ = int if k == 'years' else str
                if any(not isinstance(x, typ) or isinstance(x, bool) for x in v):
                    err(where, f'{k}: items must be {typ.__name__}')
                if len(set(map(str, v))) != len(v):
                    err(where, f'{k}: duplicates')
                counts[k] += len(v)
            codes = []
            for c in row['communes']:
                m = re.fullmatch(r'(\w{5}) (.+)', c) if isinstance(c, str) else None
                if not m: err(where, f'commune {c!r} is not "INSEE Name"'); continue
                code, name = m.groups(); codes.append(code)
                if code not in communes: err(where, f'commune {code} unknown (or not a current commune)')
                elif communes[code][0] != name: err(where, f'commune {code} is named {communes[code][0]!r}, not {name!r}')
            for a in row['about']:
                if a not in codes: err(where, f'about {a} not in communes')
            deps = row['departements']
            for d in deps:
                if d not in departements: err(where, f'departement {d} unknown')
            for code in codes:
                if code in communes and communes[code][1] not in deps:
                    err(where, f'departement {communes[code][1]} of commune {code} missing')
            for e in row['epcis']:
                if e not in epcis: err(where, f'epci {e} not in epci.json/ept.json')
            for o in row['organisations']:
                m = re.fullmatch(r'ADIL (\w+)', o)
                if m and m.group(1) not in departements: err(where, f'{o}: unknown département code')
                if o in epcis.values(): err(where, f'{o}: intercommunalités belong in epcis')
            for p in row['programmes']:
                if p not in programmes: err(where, f'programme {p!r} unknown')
            for p in row['products']:
                if p not in products: err(where, f'product {p!r} unknown')
            for y in row['years']:
                if isinstance(y, int) and not 1000 <= y <= 2100: err(where, f'year {y} out of range')
            d = row['date']
            if d is None:
                dates['none'] += 1
            elif not isinstance(d, str) or not re.fullmatch(r'\d{4}(-\d{2}(-\d{2})?)?', d):
                err(where, f'date {d!r} not YYYY, YYYY-MM or YYYY-MM-DD')
            else:
                try:
                    parts = [int(x) for x in d.split('-')] + [1, 1]
                    datetime.date(*parts[:3])
                except ValueError:
                    err(where, f'date {d!r} invalid')
                dates[{4: 'year', 7: 'month', 10: 'day'}[len(d)]] += 1
            ext = os.path.splitext(fn)[1].lstrip('.')
            styles[ext] += 1
        on_disk = {f'{split}/{x}' for x in os.listdir(os.path.join(HERE, split))} if os.path.isdir(os.path.join(HERE, split)) else set()
        for x in sorted(on_disk - seen): err(split, f'{x} has no label line')
        summary[split] = (len(lines), styles, counts, dates)
    for split, (n, styles, counts, dates) in summary.items():
        print(f'{split}: {n} pages ({", ".join(f"{k} {v}" for k, v in sorted(styles.items()))})')
        print('  labelled values: ' + ', '.join(f'{k} {counts[k]}' for k in LIST_KEYS))
        print('  dates: ' + ', '.join(f'{k} {dates[k]}' for k in ('day', 'month', 'year', 'none')))
    for e in errors: print('ERROR', e)
    print('OK' if not errors else f'{len(errors)} error(s)')
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
