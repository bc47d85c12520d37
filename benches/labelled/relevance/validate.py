#!/usr/bin/env python3
"""Validate the relevance set: pages, query files, passages (stdlib only).

Usage: python3 validate.py            (from any directory)
Exit status 0 when clean, 1 when any error is found.
"""
import json, os, re, sys, glob
from collections import Counter
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
PAGES = os.path.join(HERE, 'pages')
SPLITS = ['queries-dev.jsonl', 'queries-heldout.jsonl']
BLOCK = {'p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'article', 'section',
         'header', 'footer', 'nav', 'aside', 'main', 'blockquote', 'figcaption', 'figure', 'table',
         'tr', 'td', 'th', 'dd', 'dt', 'dl', 'form', 'body', 'title', 'button'}
SKIP = {'script', 'style', 'head'}


class Blocks(HTMLParser):
    """Collects the visible text of a page as a list of blocks (paragraphs, items, headings)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.cur, self.skip = [], [], 0
        self.depth_main = 0      # inside <article> or <div class="content">
        self.stack = []
        self.body_paras = 0      # <p> blocks inside the article text

    def flush(self, tag=None):
        text = re.sub(r'\s+', ' ', ''.join(self.cur)).strip()
        if text:
            self.blocks.append(text)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
            return
        a = dict(attrs)
        is_main = tag == 'article' or (tag == 'div' and 'content' in (a.get('class') or '').split())
        self.stack.append((tag, is_main))
        if is_main:
            self.depth_main += 1
        if tag in BLOCK:
            self.flush()
        if tag == 'p' and self.depth_main and not set((a.get('class') or '').split()) & {'byline', 'date', 'post-date', 'type'}:
            self.body_paras += 1

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
            return
        while self.stack:
            t, m = self.stack.pop()
            if m:
                self.depth_main -= 1
            if t == tag:
                break
        if tag in BLOCK:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def page_blocks(path):
    """Returns (blocks, raw_blocks, body paragraph count)."""
    text = open(path, encoding='utf-8').read()
    if path.endswith('.html'):
        p = Blocks()
        p.feed(text)
        p.close()
        p.flush()
        return p.blocks, p.blocks, p.body_paras
    raw = [b.strip('\n') for b in re.split(r'\n[ \t]*\n', text) if b.strip()]
    blocks = [re.sub(r'\s+', ' ', b).strip() for b in raw]
    # paragraphs of the text: blocks after the title line, headings and short lines excluded
    return blocks, raw, sum(1 for b in blocks[1:] if len(b) >= 100)


def main():
    errors = []
    files = sorted(glob.glob(os.path.join(PAGES, '*')))
    pages = {}
    for f in files:
        name, ext = os.path.splitext(os.path.basename(f))
        if ext not in ('.html', '.txt'):
            errors.append(f'unexpected file {f}')
            continue
        if name in pages:
            errors.append(f'duplicate page id {name}')
        pages[name] = page_blocks(f)
    n_html = sum(1 for f in files if f.endswith('.html'))
    long_pages = sorted(k for k, v in pages.items() if v[2] >= 10)
    print(f'pages: {len(pages)} ({n_html} html, {len(pages) - n_html} txt), long (>= 10 paragraphs): {len(long_pages)}')

    seen_queries = {}
    for split in SPLITS:
        path = os.path.join(HERE, split)
        if not os.path.exists(path):
            errors.append(f'missing {split}')
            continue
        kinds = Counter()
        n = 0
        for ln, line in enumerate(open(path, encoding='utf-8'), 1):
            if not line.strip():
                continue
            where = f'{split}:{ln}'
            try:
                q = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f'{where}: bad JSON ({e})')
                continue
            n += 1
            if set(q) != {'query', 'kind', 'first', 'relevant'}:
                errors.append(f'{where}: fields {sorted(q)}')
                continue
            if not isinstance(q['query'], str) or not q['query'].strip():
                errors.append(f'{where}: empty query')
            if not isinstance(q['kind'], str) or not q['kind']:
                errors.append(f'{where}: empty kind')
            if not isinstance(q['first'], bool):
                errors.append(f'{where}: first is not a boolean')
            key = q['query'].strip().lower()
            if key in seen_queries:
                errors.append(f'{where}: query repeated from {seen_queries[key]}')
            seen_queries[key] = where
            kinds[q['kind']] += 1
            rel = q['relevant']
            if not isinstance(rel, list) or not rel:
                errors.append(f'{where}: relevant must be a non-empty list')
                continue
            grades = []
            pairs = set()
            for r in rel:
                if set(r) != {'doc', 'contains', 'grade'}:
                    errors.append(f'{where}: relevant fields {sorted(r)}')
                    continue
                doc, c, g = r['doc'], r['contains'], r['grade']
                if g not in (1, 2):
                    errors.append(f'{where}: grade {g!r}')
                grades.append(g)
                if doc not in pages:
                    errors.append(f'{where}: unknown doc {doc}')
                    continue
                if not (20 <= len(c) <= 80):
                    errors.append(f'{where}: contains length {len(c)} for {doc}: {c!r}')
                blocks, raw, _ = pages[doc]
                hits = [i for i, b in enumerate(blocks) if c in b]
                if len(hits) != 1:
                    errors.append(f'{where}: {doc}: contains found in {len(hits)} blocks: {c!r}')
                    continue
                if c not in raw[hits[0]]:
                    errors.append(f'{where}: {doc}: contains crosses a line break: {c!r}')
                if len(blocks[hits[0]].encode('utf-8')) > 1200 and g == 2:
                    errors.append(f'{where}: {doc}: answering paragraph over 1,200 bytes')
                if (doc, hits[0]) in pairs:
                    errors.append(f'{where}: {doc}: same passage listed twice')
                pairs.add((doc, hits[0]))
            if grades and q['first'] != (2 in grades):
                errors.append(f'{where}: first={q["first"]} but grades {grades}')
        print(f'{split}: {n} queries; ' + ', '.join(f'{k} {v}' for k, v in sorted(kinds.items())))
    for e in errors:
        print('ERROR', e)
    print('errors:', len(errors))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
