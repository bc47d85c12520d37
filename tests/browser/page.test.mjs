// The search page in headless Chromium, against a real `logis serve`:
// typing, facets and the URL, Back, the reader, the CSV, hostile article
// text, highlights on text with accents and characters outside the BMP,
// the keyboard, a phone's width, an accessibility audit, and the view of
// housing operations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, openPage, settled, capture } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const marks = (page) => page.$$eval('#hits mark', (ms) => ms.map((m) => m.textContent));
const param = (page, name) => new URL(page.url()).searchParams.getAll(name);
/** The status line without its time. */
const counts = async (page) => (await page.textContent('#status')).replace(/\s*\([^)]*ms\)$/, '');

test('typing a query shows highlighted passages and puts the query in the URL', async () => {
  const page = await openPage(env);
  await settled(page);
  await page.fill('#q', 'PSLA Compiègne');
  await page.waitForFunction(() => document.querySelectorAll('#hits .hit').length > 0);
  await settled(page);
  const found = (await marks(page)).map((m) => m.toLowerCase());
  assert.ok(found.includes('psla'), `marks: ${found}`);
  assert.ok(found.includes('compiègne'), `marks: ${found}`);
  assert.deepEqual(param(page, 'q'), ['PSLA Compiègne']);
  assert.match(await page.textContent('#status'), /passage/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a commune clicked in the place tree filters, shows a chip, and Back undoes it', async () => {
  const page = await openPage(env, '/?q=logements');
  await settled(page);
  const before = await counts(page);
  // Unfold the région, then the département, then click the commune.
  await page.click('#facet-places button.toggle[aria-label="Déplier Hauts-de-France"]');
  await page.click('#facet-places button.toggle[aria-label="Déplier Oise (60)"]');
  const commune = page.locator('#facet-places button.value', { hasText: 'Compiègne' });
  await commune.click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('commune') === '60159');
  await settled(page);
  assert.equal(await page.getAttribute('#facet-places button.value[data-key="commune:60159"]', 'aria-pressed'), 'true');
  assert.match(await page.textContent('#chips'), /Compiègne/);
  assert.notEqual(await counts(page), before, 'the counts changed');
  for (const text of await page.$$eval('#hits .hit .meta', (ms) => ms.map((m) => m.textContent))) {
    assert.match(text, /Compiègne/);
  }
  // Back: the previous state, without the filter.
  await page.goBack();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('commune'));
  await settled(page);
  assert.equal(await counts(page), before);
  assert.equal(await page.$$eval('#chips .chip', (cs) => cs.length), 0);
  // Forward, then the chip removes the filter.
  await page.goForward();
  await page.waitForSelector('#chips .chip');
  await page.click('#chips .chip');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('commune'));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an article opens in the reader at the passage found, in the URL, and Escape closes it', async () => {
  const page = await openPage(env, '/?q=Quai+des+Roses');
  await settled(page);
  await page.click('#hits .hit h3 a.open');
  await page.waitForSelector('#reader:not([hidden]) .passage.current');
  const url = new URL(page.url());
  assert.ok(url.searchParams.get('doc'));
  assert.ok(url.searchParams.get('p'));
  const current = await page.textContent('#reader .passage.current');
  assert.match(current, /Quai des Roses/);
  const passages = await page.$$eval('#reader .passage', (ps) => ps.length);
  assert.ok(passages > 5, `every passage: ${passages}`);
  assert.ok(await page.$eval('#reader .passage.current', (el) => {
    const r = el.getBoundingClientRect();
    return r.top < window.innerHeight && r.bottom > 0;
  }), 'the passage found is in view');
  assert.ok((await page.$$eval('#reader .passage.current mark', (ms) => ms.length)) > 0);
  // A link to it opens the same view.
  const again = await openPage(env, url.pathname + url.search);
  await again.waitForSelector('#reader:not([hidden]) .passage.current');
  await again.context().close();
  await page.keyboard.press('Escape');
  await page.waitForSelector('#reader', { state: 'hidden' });
  assert.equal(new URL(page.url()).searchParams.get('doc'), null);
  await page.context().close();
});

test('the CSV link downloads the passages of the current query and filters', async () => {
  const page = await openPage(env, '/?q=logements&commune=60159');
  await settled(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
  const file = join(tmpdir(), `logis-${process.pid}.csv`);
  await download.saveAs(file);
  const csv = readFileSync(file, 'utf8');
  assert.ok(csv.startsWith('\uFEFF'), 'a BOM, for spreadsheets');
  assert.match(csv, /^\uFEFFdoc,passage,score/);
  // One row per passage the API counts for the same query and filters.
  const total = (await (await fetch(new URL('/api/search?q=logements&commune=60159&facets=0', env.url))).json()).total;
  const rows = csv.split('\r\n').filter((l) => /^[^\s",]+,\d+,/.test(l));
  assert.ok(total > 1);
  assert.equal(rows.length, total);
  await page.context().close();
});

test('markup in article text is shown as text and never runs', async () => {
  const page = await openPage(env, '/?q=Forges+Vierzon');
  await settled(page);
  const text = await page.textContent('#hits');
  assert.match(text, /<script>window.__pwned = 1<\/script>/);
  assert.equal(await page.$$eval('#hits script, #hits img', (els) => els.length), 0);
  await page.click('#hits .hit h3 a.open');
  await page.waitForSelector('#reader:not([hidden]) .passage');
  assert.match(await page.textContent('#reader-title'), /<script>/);
  assert.match(await page.textContent('#reader-body'), /<img src=x onerror="window.__pwned = 2">/);
  assert.equal(await page.$$eval('#reader script, #reader img', (els) => els.length), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(page.dialogs, []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('highlights land on the right characters after accents and characters outside the BMP', async () => {
  const page = await openPage(env, '/?q=r%C3%A9habilitation+thermique+Montreynaud');
  await settled(page);
  // The passages of the article whose title and text hold 🏠 and 𝐍𝐨𝐮𝐯𝐞𝐚𝐮.
  const found = await page.$$eval('#hits .hit', (hits) => hits
    .filter((h) => h.querySelector('h3').textContent.includes('🏠'))
    .flatMap((h) => [...h.querySelectorAll('mark')].map((m) => m.textContent.toLowerCase())));
  assert.ok(found.length >= 3, `marks: ${found}`);
  // Each mark is a whole word of the query (or a word of the same stem).
  const word = /^(réhabilit\p{L}*|thermique|montreynaud)$/u;
  for (const mark of found) assert.match(mark, word);
  assert.ok(found.includes('réhabilitation'), `marks: ${found}`);
  await page.click('#hits .hit h3 a.open');
  await page.waitForSelector('#reader:not([hidden]) .passage mark');
  const inReader = await page.$$eval('#reader mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
  assert.ok(inReader.includes('réhabilitation'), `reader marks: ${inReader}`);
  for (const mark of inReader) assert.match(mark, word);
  await page.context().close();
});

test('the keyboard alone searches, filters and opens an article', async () => {
  const page = await openPage(env);
  await settled(page);
  // The skip link, the name of the site, then the search box.
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.type('logements');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#hits .hit').length > 0);
  await settled(page);
  // Tab to the first value of the organisations and press Enter.
  const key = await page.getAttribute('#facet-org button.value', 'data-key');
  await page.focus('#facet-org button.value');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.has('org'));
  await settled(page);
  assert.equal(param(page, 'org')[0], key.slice('org:'.length));
  await page.focus('#hits a.open');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#reader:not([hidden])');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#reader', { state: 'hidden' });
  await page.context().close();
});

test('on a phone the page fits its width', async () => {
  const page = await openPage(env, '/?q=logements+sociaux', { viewport: { width: 375, height: 740 }, isMobile: true });
  await settled(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `wider than the screen by ${overflow}px`);
  await page.context().close();
});

test('an accessibility audit (axe, WCAG 2 AA) finds nothing, reader open or not', async () => {
  const require = createRequire(import.meta.url);
  const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // axe is injected as a script: the page's policy would refuse it.
  const page = await openPage(env, '/?q=logements&commune=60159', { bypassCSP: true });
  await settled(page);
  await page.addScriptTag({ content: axe });
  const audit = async () => page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
  assert.deepEqual(await audit(), []);
  await page.click('#hits .hit h3 a.open');
  await page.waitForSelector('#reader:not([hidden]) .passage');
  assert.deepEqual(await audit(), []);
  await page.keyboard.press('Escape');
  await page.click('#view-operations');
  await page.waitForSelector('#ops-table tbody tr');
  assert.deepEqual(await audit(), [], 'the operations view');
  await page.context().close();
});

test('the screenshot of the README can be taken', async () => {
  const file = join(tmpdir(), `logis-screenshot-${process.pid}.png`);
  await capture(env, file);
  const png = readFileSync(file);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.length > 20000, 'a real capture');
});

test('the operations view lists the operations with their sums, opens their passage, and downloads them', async () => {
  const page = await openPage(env, '/?q=Quai+des+Roses');
  await settled(page);
  await page.click('#view-operations');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'operations');
  await page.waitForSelector('#ops-table tbody tr');
  assert.equal(await page.getAttribute('#view-operations', 'aria-pressed'), 'true');
  assert.ok(await page.isHidden('#hits'));
  const rows = await page.$$eval('#ops-table tbody tr', (rs) => rs.map((r) => r.textContent));
  const quai = rows.find((r) => r.includes('Quai des Roses'));
  assert.ok(quai, `rows: ${rows}`);
  assert.match(quai, /Compiègne \(60\)/);
  assert.match(quai, /30/);
  assert.match(quai, /16 PSLA/);
  assert.match(quai, /démarrage des travaux 2020/);
  // The sums by département: the Oise holds the Quai des Roses.
  const groups = await page.$$eval('#ops-groups tbody tr', (rs) => rs.map((r) => r.textContent));
  assert.ok(groups.some((g) => g.includes('Oise') && g.includes('60')), `groups: ${groups}`);
  // Summing PSLA changes the column and the URL.
  await page.selectOption('#ops-sum', 'PSLA');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sum') === 'PSLA');
  await page.waitForFunction(() => document.querySelector('#ops-sum-head').textContent === 'PSLA');
  // The CSV link carries the query.
  const href = await page.getAttribute('#ops-csv', 'href');
  const csv = new URL(href, page.url());
  assert.equal(csv.pathname, '/api/operations');
  assert.equal(csv.searchParams.get('format'), 'csv');
  assert.equal(csv.searchParams.get('q'), 'Quai des Roses');
  const response = await page.request.get(csv.toString());
  assert.equal(response.status(), 200);
  assert.match(await response.text(), /Quai des Roses/);
  // A row opens its evidence passage in the reader.
  const index = rows.indexOf(quai);
  await page.click(`#ops-table tbody tr:nth-child(${index + 1}) a.evidence`);
  await page.waitForSelector('#reader:not([hidden]) .passage.current');
  assert.match(await page.textContent('#reader .passage.current'), /Quai des Roses/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
