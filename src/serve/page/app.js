// The logis search page. Everything it shows comes from the API
// (/api/search, /api/articles/{id}) and is inserted as text, never as HTML:
// article text is untrusted. The whole state lives in the URL, so a link
// can be sent and the Back button works.
'use strict';

/** Filters the page can set, as the API names them, with their labels. */
const FIELDS = [
  ['region', 'Régions'],
  ['departement', 'Départements'],
  ['commune', 'Communes'],
  ['org', 'Organisations'],
  ['programme', 'Programmes'],
  ['product', 'Produits'],
];
const FIELD_LABEL = {
  region: 'région', departement: 'département', commune: 'commune',
  org: 'organisation', programme: 'programme', product: 'produit', year: 'année',
};
/** The API's facet field for each filter parameter. */
const FACET_OF = { org: 'organisation' };
const PAGE_SIZE = 10;
const TYPING_DELAY_MS = 250;
/** Values shown before "Afficher plus". */
const SHORT_LIST = 8;

const $ = (id) => document.getElementById(id);

/** The page's state, read from and written to the URL. */
function emptyState() {
  const filters = {};
  for (const [field] of FIELDS) filters[field] = [];
  return {
    q: '', filters, year: '', sort: 'relevance', group: false, page: 0, doc: null, p: null,
    view: 'passages', by: 'departement', sum: 'dwellings',
  };
}

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const state = emptyState();
  state.q = params.get('q') || '';
  for (const [field] of FIELDS) state.filters[field] = params.getAll(field).filter(Boolean);
  state.year = params.get('year') || '';
  state.sort = params.get('sort') === 'date' ? 'date' : 'relevance';
  state.group = params.get('group') === 'true';
  state.page = Math.max(0, parseInt(params.get('page') || '0', 10) || 0);
  state.doc = params.get('doc');
  state.p = params.get('p');
  state.view = params.get('view') === 'operations' ? 'operations' : 'passages';
  state.by = params.get('by') || 'departement';
  state.sum = params.get('sum') || 'dwellings';
  return state;
}

/** The query and filters as parameters (what a search and an export take). */
function queryParams(state) {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set('q', state.q.trim());
  for (const [field] of FIELDS) for (const v of state.filters[field]) params.append(field, v);
  if (state.year) params.set('year', state.year);
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  return params;
}

function urlOf(state) {
  const params = queryParams(state);
  if (state.group) params.set('group', 'true');
  if (state.page > 0) params.set('page', String(state.page));
  if (state.view === 'operations') {
    params.set('view', 'operations');
    params.set('by', state.by);
    params.set('sum', state.sum);
  }
  if (state.doc) params.set('doc', state.doc);
  if (state.doc && state.p !== null && state.p !== undefined) params.set('p', String(state.p));
  const text = params.toString();
  return text ? `?${text}` : location.pathname;
}

let state = emptyState();
/** Names of values whose filter is a code (communes by INSEE code). */
const labels = new Map();
/** Places the user unfolded in the tree. */
const unfolded = new Set();
let searchSeq = 0;
let searchAbort = null;
let lastSearchKey = null;
/** Whether the current history entry was made by typing. */
let typingEntry = false;

/** Moves to a new state: writes the URL (a new history entry when `push`) and shows it. */
function go(changes, { push = true, typing = false } = {}) {
  state = { ...state, ...changes };
  const url = urlOf(state);
  if (push && !(typing && typingEntry)) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  typingEntry = typing;
  show();
}

window.addEventListener('popstate', () => {
  state = stateFromUrl();
  typingEntry = false;
  $('q').value = state.q;
  show();
});

function show() {
  $('sort').value = state.sort;
  $('group').checked = state.group;
  const csv = queryParams(state);
  csv.set('format', 'csv');
  $('csv').href = `/api/export?${csv.toString()}`;
  // Nothing asked: nothing to export.
  $('csv').hidden = !state.q.trim() && !hasFilters();
  renderChips();
  showView();
  const key = urlOf({ ...state, doc: null, p: null });
  if (key !== lastSearchKey) {
    lastSearchKey = key;
    search();
    if (state.view === 'operations') loadOperations();
  }
  showReader();
}

/** Passages or operations: which the page shows under the filters. */
function showView() {
  const operations = state.view === 'operations';
  $('view-passages').setAttribute('aria-pressed', String(!operations));
  $('view-operations').setAttribute('aria-pressed', String(operations));
  $('operations').hidden = !operations;
  if (operations) $('did-you-mean').hidden = true;
  $('hits').hidden = operations;
  $('pager').hidden = operations;
  $('ops-by').value = state.by;
  $('ops-sum').value = state.sum;
  const csv = queryParams(state);
  csv.delete('sort');
  csv.set('format', 'csv');
  $('ops-csv').href = `/api/operations?${csv.toString()}`;
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(path, signal) {
  let response;
  try {
    response = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Le serveur logis ne répond pas : est-il toujours lancé ?');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const error = body && body.error ? body.error : { code: 'http', message: `HTTP ${response.status}` };
    throw new ApiError(response.status, error.code, error.message);
  }
  return body;
}

/** A sentence for an error, in French, with what to do. */
function explain(error) {
  switch (error.code) {
    case 'no_index':
      return 'Aucun index n’est encore construit ici : lancez « logis index DOSSIER » puis rechargez la page.';
    case 'damaged_index':
    case 'incompatible_index':
      return `L’index ne peut pas être lu (${error.message}). Reconstruisez-le avec « logis index --rebuild ».`;
    case 'busy':
    case 'timeout':
      return 'Le serveur est occupé : réessayez dans un instant, ou précisez la recherche.';
    default:
      return error.message;
  }
}

// ------------------------------------------------------------- search

async function search() {
  const seq = ++searchSeq;
  if (searchAbort) searchAbort.abort();
  searchAbort = new AbortController();
  const params = queryParams(state);
  params.set('limit', String(PAGE_SIZE));
  if (state.page > 0) params.set('offset', String(state.page * PAGE_SIZE));
  if (state.group) params.set('group', 'true');
  params.set('facets', '60');
  $('results').setAttribute('aria-busy', 'true');
  try {
    const results = await api(`/api/search?${params.toString()}`, searchAbort.signal);
    if (seq !== searchSeq) return;
    renderResults(results);
    renderFacets(results.facets || {});
    // Names of the communes filtered by code are known now.
    renderChips();
  } catch (e) {
    if (e.name === 'AbortError' || seq !== searchSeq) return;
    $('hits').replaceChildren();
    $('pager').replaceChildren();
    $('did-you-mean').hidden = true;
    $('absent').hidden = true;
    setStatus(explain(e), true);
    if (e.status === 503 || e.status === 0) $('facets').replaceChildren();
  } finally {
    if (seq === searchSeq) $('results').removeAttribute('aria-busy');
  }
}

function setStatus(text, isError = false) {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function hasFilters() {
  return Boolean(state.year) || FIELDS.some(([f]) => state.filters[f].length > 0);
}

const number = new Intl.NumberFormat('fr-FR');

function renderResults(results) {
  const list = $('hits');
  list.replaceChildren();
  if (!state.q.trim() && !hasFilters()) {
    setStatus('Tapez une recherche, ou choisissez un filtre à gauche.');
    $('pager').replaceChildren();
    $('did-you-mean').hidden = true;
    $('absent').hidden = true;
    return;
  }
  const plural = (n, word) => `${number.format(n)} ${word}${n > 1 ? 's' : ''}`;
  let summary = `${plural(results.total, 'passage')} contenant tous les mots`;
  if (results.total_any > results.total) summary += `, ${number.format(results.total_any)} au moins un`;
  summary += ` (${number.format(Math.round(results.took_ms))} ms)`;
  setStatus(summary);

  const dym = $('did-you-mean');
  dym.hidden = !results.did_you_mean;
  dym.replaceChildren();
  if (results.did_you_mean) {
    dym.append('Vouliez-vous dire ');
    const link = document.createElement('a');
    link.href = urlOf({ ...state, q: results.did_you_mean, page: 0, doc: null, p: null });
    link.textContent = results.did_you_mean;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      $('q').value = results.did_you_mean;
      go({ q: results.did_you_mean, page: 0 });
    });
    dym.append(link, ' ? Les résultats de la correction suivent.');
  }
  const absent = $('absent');
  absent.hidden = results.absent.length === 0;
  absent.textContent = results.absent
    .map((a) => `Aucun article de cet index ne concerne ${FIELD_LABEL[a.field] || a.field} « ${a.value} ».`)
    .join(' ');

  if (results.articles) {
    for (const article of results.articles) list.append(articleItem(article));
  } else {
    for (const hit of results.hits || []) list.append(hitItem(hit, 'h3'));
  }
  if (list.children.length === 0 && results.total === 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'Aucun passage ne correspond. Essayez moins de mots, ou retirez un filtre.';
    list.append(li);
  }
  renderPager(results);
}

function articleItem(article) {
  const li = document.createElement('li');
  li.className = 'article';
  const title = document.createElement('h3');
  title.append(readerLink(article.title || article.doc, article.doc, article.hits[0] && article.hits[0].passage));
  li.append(title);
  const first = article.hits[0];
  if (first) li.append(metaLine(first));
  const passages = document.createElement('ol');
  passages.className = 'passages';
  for (const hit of article.hits) passages.append(hitItem(hit, null));
  li.append(passages);
  return li;
}

/** One passage found; `titleTag` null inside a grouped article. */
function hitItem(hit, titleTag) {
  for (const c of hit.communes) labels.set(c.insee, c.name);
  const li = document.createElement('li');
  li.className = 'hit';
  if (titleTag) {
    const title = document.createElement(titleTag);
    title.append(readerLink(hit.title || hit.doc, hit.doc, hit.passage));
    li.append(title, metaLine(hit));
  }
  if (hit.heading) {
    const heading = document.createElement('p');
    heading.className = 'heading';
    heading.textContent = hit.heading;
    li.append(heading);
  }
  const text = document.createElement('p');
  text.className = 'text';
  text.append(highlighted(hit.snippet, hit.snippet_highlights));
  li.append(text);
  if (!titleTag) {
    const open = readerLink('Lire le passage dans l’article', hit.doc, hit.passage);
    open.className = 'more';
    li.append(open);
  }
  if (hit.fuzzy) li.classList.add('fuzzy');
  if (hit.duplicates.length > 0) li.append(copies(hit.duplicates));
  return li;
}

// ---------------------------------------------------------- operations

const KIND_LABEL = {
  construction: 'construction', rehabilitation: 'réhabilitation', demolition: 'démolition',
  'acquisition-amelioration': 'acquisition-amélioration', transformation: 'transformation',
  'residence-etudiante': 'résidence étudiante', other: 'autre',
};
const MILESTONE_LABEL = {
  annonce: 'annonce', signature: 'signature', permis: 'permis de construire',
  'premiere-pierre': 'première pierre', demarrage: 'démarrage des travaux',
  inauguration: 'inauguration', livraison: 'livraison',
};
let operationsSeq = 0;

/** The operations of the current query and filters, and their sums. */
async function loadOperations() {
  const seq = ++operationsSeq;
  const params = queryParams(state);
  params.delete('sort');
  const grouped = new URLSearchParams(params);
  grouped.set('group_by', state.by);
  grouped.set('sum', state.sum);
  $('ops-status').textContent = 'Chargement…';
  try {
    const [found, groups] = await Promise.all([
      api(`/api/operations?${params.toString()}`),
      api(`/api/operations?${grouped.toString()}`),
    ]);
    if (seq !== operationsSeq) return;
    renderOperations(found, groups);
  } catch (e) {
    if (seq !== operationsSeq) return;
    $('ops-status').textContent = explain(e);
    $('ops-table').tBodies[0].replaceChildren();
    $('ops-groups').tBodies[0].replaceChildren();
  }
}

function cell(row, content) {
  const td = document.createElement('td');
  if (content instanceof Node) td.append(content);
  else td.textContent = content === null || content === undefined ? '—' : String(content);
  row.append(td);
  return td;
}

function renderOperations(found, groups) {
  const plural = (n, word) => `${number.format(n)} ${word}${n > 1 ? 's' : ''}`;
  $('ops-status').textContent = found.total === 0
    ? 'Aucune opération de logement dans ces articles.'
    : `${plural(found.total, 'opération')} dans les passages trouvés.`;
  const sumLabel = $('ops-sum').selectedOptions[0];
  $('ops-sum-head').textContent = sumLabel ? sumLabel.textContent : 'Somme';
  const groupRows = $('ops-groups').tBodies[0];
  groupRows.replaceChildren();
  for (const g of groups.groups) {
    const row = document.createElement('tr');
    const label = g.code && g.group !== g.code ? `${g.group} (${g.code})` : g.group;
    const head = document.createElement('th');
    head.scope = 'row';
    head.textContent = state.by === 'kind' ? (KIND_LABEL[g.group] || g.group) : label;
    row.append(head);
    cell(row, number.format(g.operations));
    cell(row, g.sum === null ? '—' : number.format(g.sum));
    groupRows.append(row);
  }
  const rows = $('ops-table').tBodies[0];
  rows.replaceChildren();
  for (const op of found.operations) {
    const row = document.createElement('tr');
    const place = op.commune ? `${op.commune.name} (${op.commune.departement})` : 'commune inconnue';
    cell(row, op.site ? `${place}, ${op.site}` : place);
    cell(row, KIND_LABEL[op.kind] || op.kind);
    const dwellings = op.dwellings === null ? null
      : `${number.format(op.dwellings)}${op.dwellings_derived ? ' (somme des produits)' : ''}`;
    cell(row, dwellings);
    const products = Object.entries(op.by_product).map(([p, n]) => `${number.format(n)} ${p}`).join(' · ');
    cell(row, products ? `${products}${op.products_differ ? ' (≠ total)' : ''}` : null);
    const m = op.milestone;
    cell(row, m ? `${MILESTONE_LABEL[m.kind] || m.kind}${m.year ? ` ${m.month ? `${String(m.month).padStart(2, '0')}/` : ''}${m.year}` : ''}` : null);
    cell(row, op.cost_eur === null ? null : `${number.format(op.cost_eur)} €`);
    const open = readerLink('Voir le passage', op.doc, op.passages[0]);
    open.className = 'open evidence';
    cell(row, open);
    rows.append(row);
  }
}

function readerLink(text, doc, passage) {
  const link = document.createElement('a');
  link.href = urlOf({ ...state, doc, p: passage });
  link.textContent = text;
  link.className = 'open';
  link.addEventListener('click', (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    opener = event.currentTarget;
    go({ doc, p: passage });
  });
  return link;
}

function frenchDate(date) {
  if (!date) return null;
  const [y, m, d] = date.split('-');
  const months = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août',
    'septembre', 'octobre', 'novembre', 'décembre'];
  if (d) return `${parseInt(d, 10)} ${months[parseInt(m, 10) - 1]} ${y}`;
  if (m) return `${months[parseInt(m, 10) - 1]} ${y}`;
  return y;
}

function metaLine(hit) {
  const meta = document.createElement('p');
  meta.className = 'meta';
  const parts = [];
  if (hit.site) parts.push(hit.site);
  const date = frenchDate(hit.date);
  if (date) parts.push(date);
  const places = hit.communes.map((c) => c.name);
  if (places.length === 0) places.push(...hit.departements.map((d) => d.name));
  if (places.length > 0) parts.push(places.slice(0, 4).join(', '));
  meta.textContent = parts.join(' · ');
  return meta;
}

/** "Also published by": the syndicated copies, folded. */
function copies(duplicates) {
  const details = document.createElement('details');
  details.className = 'copies';
  const summary = document.createElement('summary');
  const n = duplicates.length;
  summary.textContent = `Aussi publié ${n > 1 ? `${n} autres fois` : 'une autre fois'}`;
  details.append(summary);
  const list = document.createElement('ul');
  for (const copy of duplicates) {
    const li = document.createElement('li');
    const label = [copy.site || copy.doc, frenchDate(copy.date)].filter(Boolean).join(', ');
    const url = safeUrl(copy.url);
    if (url) {
      const a = document.createElement('a');
      a.href = url;
      a.rel = 'noopener noreferrer';
      a.textContent = label;
      li.append(a);
    } else {
      li.textContent = label;
    }
    list.append(li);
  }
  details.append(list);
  return details;
}

/** The address if it is a web address; nothing else becomes a link. */
function safeUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch (e) {
    return null;
  }
}

/**
 * The text with the ranges marked. The API gives UTF-8 byte offsets; the
 * page's strings count UTF-16 code units: each code point adds 1 to 4 bytes
 * and 1 or 2 units.
 */
function highlighted(text, byteRanges) {
  const fragment = document.createDocumentFragment();
  const ranges = utf16Ranges(text, byteRanges);
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end <= start) continue;
    if (start > at) fragment.append(text.slice(at, start));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(start, end);
    fragment.append(mark);
    at = end;
  }
  if (at < text.length) fragment.append(text.slice(at));
  return fragment;
}

function utf16Ranges(text, byteRanges) {
  const wanted = [];
  for (const [start, end] of byteRanges || []) wanted.push(start, end);
  const sorted = [...new Set(wanted)].sort((a, b) => a - b);
  const index = new Map();
  let bytes = 0;
  let units = 0;
  let next = 0;
  for (const char of text) {
    while (next < sorted.length && sorted[next] <= bytes) {
      if (sorted[next] === bytes) index.set(bytes, units);
      next += 1;
    }
    const cp = char.codePointAt(0);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    units += char.length;
  }
  while (next < sorted.length) {
    if (sorted[next] === bytes) index.set(bytes, units);
    next += 1;
  }
  return (byteRanges || [])
    .filter(([s, e]) => index.has(s) && index.has(e))
    .map(([s, e]) => [index.get(s), index.get(e)])
    .sort((a, b) => a[0] - b[0]);
}

function renderPager(results) {
  const pager = $('pager');
  pager.replaceChildren();
  const more = results.articles
    ? results.left_out.includes('limit')
    : (state.page + 1) * PAGE_SIZE < results.total;
  if (state.page === 0 && !more) return;
  const button = (label, page, enabled) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.disabled = !enabled;
    b.addEventListener('click', () => {
      go({ page });
      $('results').focus();
    });
    return b;
  };
  const current = document.createElement('span');
  current.textContent = `Page ${state.page + 1}`;
  current.setAttribute('aria-current', 'page');
  pager.append(button('← Précédente', state.page - 1, state.page > 0), current,
    button('Suivante →', state.page + 1, more));
}

// ------------------------------------------------------------- facets

function toggleFilter(field, value) {
  const values = state.filters[field];
  const next = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  go({ filters: { ...state.filters, [field]: next }, page: 0 });
}

/** A value to click: pressed when its filter is on. */
function valueButton(field, value, label, count) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'value';
  const on = state.filters[field].includes(value);
  button.setAttribute('aria-pressed', on ? 'true' : 'false');
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = label;
  const n = document.createElement('span');
  n.className = 'count';
  n.textContent = count === null ? '' : number.format(count);
  if (count !== null) n.setAttribute('aria-label', `${count} article${count > 1 ? 's' : ''}`);
  button.append(name, n);
  button.addEventListener('click', () => toggleFilter(field, value));
  return button;
}

function section(title, id) {
  const s = document.createElement('section');
  s.className = 'facet';
  s.id = id;
  const h = document.createElement('h3');
  h.textContent = title;
  s.append(h);
  return s;
}

function renderFacets(facets) {
  const container = $('facets');
  const focused = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.key : null;
  container.replaceChildren();
  container.append(placeTree(facets));
  for (const [field, title] of [['org', 'Organisations'], ['programme', 'Programmes'], ['product', 'Produits']]) {
    const counts = (facets[FACET_OF[field] || field] || {}).counts || [];
    const s = section(title, `facet-${field}`);
    s.append(valueList(field, counts.map((c) => [c.value, c.value, c.count])));
    container.append(s);
  }
  container.append(yearHistogram((facets.year || {}).counts || []));
  if (focused) {
    const again = container.querySelector(`[data-key="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}

/** A list of values, the first few shown, the rest behind "Afficher plus". */
function valueList(field, entries) {
  const list = document.createElement('ul');
  list.className = 'values';
  if (entries.length === 0) {
    const li = document.createElement('li');
    li.className = 'none';
    li.textContent = 'aucun';
    list.append(li);
    return list;
  }
  entries.forEach(([value, label, count], i) => {
    const li = document.createElement('li');
    const button = valueButton(field, value, label, count);
    button.dataset.key = `${field}:${value}`;
    li.append(button);
    if (i >= SHORT_LIST && !state.filters[field].includes(value)) li.className = 'extra';
    list.append(li);
  });
  if (entries.length > SHORT_LIST) {
    const li = document.createElement('li');
    const more = document.createElement('button');
    more.type = 'button';
    more.className = 'more-values';
    more.setAttribute('aria-expanded', 'false');
    more.textContent = `Afficher les ${entries.length} valeurs`;
    more.addEventListener('click', () => {
      const open = more.getAttribute('aria-expanded') !== 'true';
      more.setAttribute('aria-expanded', String(open));
      list.classList.toggle('open', open);
      more.textContent = open ? 'Afficher moins' : `Afficher les ${entries.length} valeurs`;
    });
    li.append(more);
    list.append(li);
  }
  return list;
}

/** Places as a tree: région › département › commune. */
function placeTree(facets) {
  const s = section('Lieux', 'facet-places');
  const regions = ((facets.region || {}).counts || []).map((c) => ({
    field: 'region', value: c.value, label: c.value, count: c.count, code: c.code, children: [],
  }));
  const regionByCode = new Map(regions.map((r) => [r.code, r]));
  const departements = new Map();
  const orphans = [];
  for (const c of (facets.departement || {}).counts || []) {
    const node = { field: 'departement', value: c.value, label: `${c.value} (${c.code})`, count: c.count, code: c.code, children: [] };
    departements.set(c.code, node);
    const region = regionByCode.get(c.region_code);
    if (region) region.children.push(node); else orphans.push(node);
  }
  for (const c of (facets.commune || {}).counts || []) {
    labels.set(c.insee, c.value);
    const leaf = { field: 'commune', value: c.insee, label: c.value, count: c.count, children: [] };
    let dep = departements.get(c.departement_code);
    if (!dep) {
      dep = { field: 'departement', value: c.departement, label: `${c.departement} (${c.departement_code})`, count: null, code: c.departement_code, children: [] };
      departements.set(c.departement_code, dep);
      const region = regionByCode.get(c.region_code);
      if (region) region.children.push(dep); else orphans.push(dep);
    }
    dep.children.push(leaf);
  }
  const roots = [...regions, ...orphans];
  if (roots.length === 0) {
    s.append(valueList('region', []));
    return s;
  }
  const tree = document.createElement('ul');
  tree.className = 'tree';
  for (const root of roots) tree.append(treeItem(root, roots.length === 1));
  s.append(tree);
  return s;
}

function selectedWithin(node) {
  return state.filters[node.field].includes(node.value) || node.children.some(selectedWithin);
}

function treeItem(node, openByDefault) {
  const li = document.createElement('li');
  const row = document.createElement('div');
  row.className = 'row';
  const key = `${node.field}:${node.value}`;
  const list = document.createElement('ul');
  if (node.children.length > 0) {
    const open = unfolded.has(key) || openByDefault || node.children.some(selectedWithin);
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'toggle';
    toggle.dataset.key = `toggle:${key}`;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.setAttribute('aria-label', `${open ? 'Replier' : 'Déplier'} ${node.label}`);
    toggle.textContent = open ? '▾' : '▸';
    list.hidden = !open;
    toggle.addEventListener('click', () => {
      const nowOpen = list.hidden;
      list.hidden = !nowOpen;
      if (nowOpen) unfolded.add(key); else unfolded.delete(key);
      toggle.setAttribute('aria-expanded', String(nowOpen));
      toggle.setAttribute('aria-label', `${nowOpen ? 'Replier' : 'Déplier'} ${node.label}`);
      toggle.textContent = nowOpen ? '▾' : '▸';
    });
    row.append(toggle);
  } else {
    const spacer = document.createElement('span');
    spacer.className = 'spacer';
    row.append(spacer);
  }
  const button = valueButton(node.field, node.value, node.label, node.count);
  button.dataset.key = key;
  row.append(button);
  li.append(row);
  if (node.children.length > 0) {
    for (const child of node.children) list.append(treeItem(child, false));
    li.append(list);
  }
  return li;
}

/** Years as a small histogram; a year or a range filters. */
function yearHistogram(counts) {
  const s = section('Années', 'facet-year');
  const years = counts.map((c) => [parseInt(c.value, 10), c.count]).filter(([y]) => !Number.isNaN(y));
  years.sort((a, b) => a[0] - b[0]);
  const max = Math.max(1, ...years.map(([, n]) => n));
  const list = document.createElement('ul');
  list.className = 'histogram';
  for (const [year, count] of years) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.key = `year:${year}`;
    button.setAttribute('aria-pressed', String(state.year === String(year)));
    button.setAttribute('aria-label', `${year} : ${count} article${count > 1 ? 's' : ''}`);
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.setProperty('--h', `${Math.max(6, Math.round((count / max) * 100))}%`);
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = String(year).slice(2);
    button.append(bar, label);
    button.title = `${year} : ${count}`;
    button.addEventListener('click', () => go({ year: state.year === String(year) ? '' : String(year), page: 0 }));
    li.append(button);
    list.append(li);
  }
  if (years.length > 0) s.append(list);
  const form = document.createElement('form');
  form.className = 'range';
  const [from, to] = state.year.includes('..') ? state.year.split('..') : [state.year, state.year];
  const input = (id, label, value) => {
    const l = document.createElement('label');
    l.htmlFor = id;
    l.textContent = label;
    const i = document.createElement('input');
    i.id = id;
    i.type = 'number';
    i.min = '1900';
    i.max = '2100';
    i.inputMode = 'numeric';
    i.value = value || '';
    return [l, i];
  };
  const [fromLabel, fromInput] = input('year-from', 'de', from);
  const [toLabel, toInput] = input('year-to', 'à', to);
  const apply = document.createElement('button');
  apply.type = 'submit';
  apply.textContent = 'Appliquer';
  form.append(fromLabel, fromInput, toLabel, toInput, apply);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const a = fromInput.value.trim();
    const b = toInput.value.trim();
    const year = a && b ? (a === b ? a : `${a}..${b}`) : a ? `${a}..` : b ? `..${b}` : '';
    go({ year, page: 0 });
  });
  s.append(form);
  return s;
}

function renderChips() {
  const chips = $('chips');
  chips.replaceChildren();
  const add = (field, value, label, remove) => {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'chip';
    chip.setAttribute('aria-label', `Retirer le filtre ${FIELD_LABEL[field]} : ${label}`);
    const text = document.createElement('span');
    text.textContent = label;
    const x = document.createElement('span');
    x.setAttribute('aria-hidden', 'true');
    x.textContent = '×';
    chip.append(text, x);
    chip.addEventListener('click', remove);
    chips.append(chip);
  };
  for (const [field] of FIELDS) {
    for (const value of state.filters[field]) {
      add(field, value, labels.get(value) || value, () => toggleFilter(field, value));
    }
  }
  if (state.year) add('year', state.year, state.year.replace('..', ' – '), () => go({ year: '', page: 0 }));
  if (chips.children.length > 1) {
    const clear = document.createElement('button');
    clear.type = 'button';
    clear.className = 'clear';
    clear.textContent = 'Tout retirer';
    clear.addEventListener('click', () => go({ filters: emptyState().filters, year: '', page: 0 }));
    chips.append(clear);
  }
}

// ------------------------------------------------------------- reader

/** The element focused before the reader opened, focused again after. */
let opener = null;
let readerKey = null;

async function showReader() {
  const reader = $('reader');
  if (!state.doc) {
    if (!reader.hidden) {
      reader.hidden = true;
      document.body.classList.remove('reading');
      readerKey = null;
      if (opener && document.contains(opener)) opener.focus();
    }
    return;
  }
  const key = `${state.doc}\u0000${state.q}`;
  if (key === readerKey) {
    scrollToPassage();
    return;
  }
  readerKey = key;
  reader.hidden = false;
  document.body.classList.add('reading');
  $('reader-title').textContent = 'Chargement…';
  $('reader-meta').textContent = '';
  $('reader-about').textContent = '';
  $('reader-body').replaceChildren();
  const params = new URLSearchParams();
  if (state.q.trim()) params.set('q', state.q.trim());
  const query = params.toString();
  try {
    const view = await api(`/api/articles/${encodeURIComponent(state.doc)}${query ? `?${query}` : ''}`);
    if (readerKey !== key) return;
    renderArticle(view);
  } catch (e) {
    if (readerKey !== key) return;
    $('reader-title').textContent = 'Article indisponible';
    $('reader-meta').textContent = explain(e);
  }
  reader.querySelector('.reader-inner').focus();
  scrollToPassage();
}

function renderArticle(view) {
  const a = view.article;
  $('reader-title').textContent = a.title || a.doc;
  const meta = $('reader-meta');
  meta.replaceChildren();
  const parts = [a.site, a.author, frenchDate(a.date)].filter(Boolean);
  meta.append(parts.join(' · '));
  const url = safeUrl(a.url);
  if (url) {
    const link = document.createElement('a');
    link.href = url;
    link.rel = 'noopener noreferrer';
    link.textContent = 'article original';
    meta.append(parts.length ? ' · ' : '', link);
  }
  const about = [
    ...a.about.communes.map((c) => c.name),
    ...a.about.organisations,
    ...a.about.programmes,
    ...a.about.products,
  ];
  $('reader-about').textContent = about.length ? `À propos de : ${about.join(', ')}` : '';
  const body = $('reader-body');
  body.replaceChildren();
  for (const passage of view.passages) {
    const section = document.createElement('section');
    section.className = 'passage';
    section.id = `passage-${passage.passage}`;
    section.tabIndex = -1;
    if (passage.heading && !passage.text.startsWith(passage.heading)) {
      const h = document.createElement('h3');
      h.textContent = passage.heading;
      section.append(h);
    }
    for (const paragraph of paragraphs(passage.text, passage.highlights)) {
      const p = document.createElement('p');
      p.append(highlighted(paragraph.text, paragraph.ranges));
      section.append(p);
    }
    body.append(section);
  }
}

/** The passage's paragraphs (split at blank lines), each with its ranges. */
function paragraphs(text, ranges) {
  const encoder = new TextEncoder();
  const out = [];
  const separator = /\n\s*\n/g;
  let at = 0;
  let bytes = 0;
  const push = (end) => {
    const part = text.slice(at, end);
    const length = encoder.encode(part).length;
    const from = bytes;
    out.push({
      text: part,
      ranges: (ranges || [])
        .filter(([s, e]) => s >= from && e <= from + length)
        .map(([s, e]) => [s - from, e - from]),
    });
    bytes += length;
  };
  let match;
  while ((match = separator.exec(text)) !== null) {
    push(match.index);
    bytes += encoder.encode(match[0]).length;
    at = match.index + match[0].length;
  }
  push(text.length);
  return out.filter((p) => p.text.trim());
}

function scrollToPassage() {
  const body = $('reader-body');
  for (const el of body.querySelectorAll('.current')) el.classList.remove('current');
  if (state.p === null || state.p === undefined) return;
  const target = document.getElementById(`passage-${state.p}`);
  if (target) {
    target.classList.add('current');
    target.scrollIntoView({ block: 'start' });
  }
}

function closeReader() {
  go({ doc: null, p: null });
}

// -------------------------------------------------------------- start

function start() {
  state = stateFromUrl();
  const box = $('q');
  box.value = state.q;
  let timer = null;
  box.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => go({ q: box.value, page: 0 }, { typing: true }), TYPING_DELAY_MS);
  });
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    if (box.value !== state.q) go({ q: box.value, page: 0 }, { typing: true });
    typingEntry = false;
    $('results').focus();
  });
  $('sort').addEventListener('change', (e) => go({ sort: e.target.value, page: 0 }));
  $('view-passages').addEventListener('click', () => go({ view: 'passages' }));
  $('view-operations').addEventListener('click', () => go({ view: 'operations' }));
  $('ops-by').addEventListener('change', (e) => go({ by: e.target.value }));
  $('ops-sum').addEventListener('change', (e) => go({ sum: e.target.value }));
  $('group').addEventListener('change', (e) => go({ group: e.target.checked, page: 0 }));
  $('reader-close').addEventListener('click', closeReader);
  $('reader').addEventListener('click', (event) => {
    if (event.target === $('reader')) closeReader();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.doc) {
      event.preventDefault();
      closeReader();
    } else if (event.key === '/' && document.activeElement !== box && !state.doc
      && !(document.activeElement instanceof HTMLInputElement)) {
      event.preventDefault();
      box.focus();
    }
  });
  history.replaceState(null, '', urlOf(state));
  show();
}

document.addEventListener('DOMContentLoaded', start);
