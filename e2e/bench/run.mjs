// Browser, live and fan-out measurements for `cargo xtask bench` (which builds the release
// assets and the server, runs the server's query benchmark into BENCH_OUT/server.json, then
// this). Starts the server on a fresh database seeded with BENCH sizes, drives Debian's
// Chromium through Playwright, and writes BENCH_OUT/report.json and report.md: the median
// of several runs per figure, and PASS/FAIL per budget (no verdicts in quick mode).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const quick = !!process.env.BENCH_QUICK;
const serverBin = process.env.BENCH_SERVER_BIN;
const assets = process.env.BENCH_ASSETS;
const out = process.env.BENCH_OUT;
if (!serverBin || !assets || !out) throw new Error('run through `cargo xtask bench`');

const SIZE = {
  conversations: quick ? 2000 : 100000,
  long: quick ? 1000 : 10000,
  runs: quick ? 1 : 5,
  live: quick ? 10 : 100,
  loaded: quick ? 300 : 5000,
  fanout: quick ? 20 : 500,
};
const BUDGET = { appBrotliKB: 150, embedBrotliKB: 90, startupRatio: 1.5, openMs: 300, searchMs: 150, liveP95Ms: 50, longTasks: 0, domElements: 1500, serverP95Ms: 20 };

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const percentile = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.round((s.length - 1) * p))]; };
const round = (x) => Math.round(x * 10) / 10;
const log = (...args) => console.log('bench:', ...args);

// --- 1. Sizes -----------------------------------------------------------------------------
function sizes(dir, pattern) {
  const files = fs.readdirSync(dir).filter((f) => pattern.test(f));
  const total = { raw: 0, gzip: 0, brotli: 0, files };
  for (const file of files) {
    const data = fs.readFileSync(path.join(dir, file));
    total.raw += data.length;
    total.gzip += zlib.gzipSync(data, { level: 9 }).length;
    total.brotli += zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return total;
}
const size = { app: sizes(assets, /\.(wasm|js|css)$/), embed: sizes(path.join(assets, 'embed'), /\.(wasm|js)$/) };
log('sizes', JSON.stringify({ app: size.app.brotli, embed: size.embed.brotli }));

// --- The server under test ------------------------------------------------------------------
const freePort = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convoroom-bench-'));
const server = spawn(serverBin, [
  '--bind', `127.0.0.1:${port}`, '--database', path.join(tmp, 'bench.db'), '--assets', assets,
  '--demo-conversations', String(SIZE.conversations), '--demo-long-conversation', String(SIZE.long),
], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } });
const stop = () => { try { server.kill('SIGTERM'); } catch { /* gone */ } fs.rmSync(tmp, { recursive: true, force: true }); };
process.on('exit', stop);
for (let i = 0; ; i++) {
  try { if ((await fetch(`${base}/api/v1/health`)).ok) break; } catch { /* not yet */ }
  if (i > 1200) throw new Error('the server did not start');
  await new Promise((r) => setTimeout(r, 250));
}
log(`server seeded with ${SIZE.conversations} conversations at ${base}`);
const step = (name) => log(`measuring ${name}…`);

async function api(method, route, token, body) {
  const response = await fetch(`${base}/api/v1${route}`, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}
const session = await api('POST', '/auth/sign-in', null, { email: 'maya@example.com', password: 'demo1234' });
const token = session.token;
const inbound = (await api('POST', '/tokens', token, { name: `bench-${Date.now()}`, scope: 'inbound' })).token;

// --- The browser ----------------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** In every page: the signed-in session, wasm memory, long tasks, and `__bench.when(cond)`. */
function instrument(sessionJson) {
  if (sessionJson && location.pathname !== '/bench-floor.html') localStorage.setItem('convoroom.session', sessionJson);
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  } catch { /* unsupported */ }
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail.wasm.memory; });
  const waiters = [];
  const check = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].cond()) {
        const [w] = waiters.splice(i, 1);
        requestAnimationFrame(() => w.resolve(performance.now()));
      }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  window.__bench = {
    /** performance.now() at the frame after `cond` first holds. */
    when(cond, timeoutMs = 20000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out: ${cond}`)), timeoutMs);
        waiters.push({ cond, resolve: (at) => { clearTimeout(timer); resolve(at); } });
        check();
      });
    },
  };
  window.__firstRow = window.__bench.when(() => document.querySelector('[role=listbox] [role=option]'));
}

async function agentPage(viewport = { width: 1400, height: 900 }) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(instrument, JSON.stringify(session));
  const page = await context.newPage();
  return { context, page };
}

// --- 2. Startup against the static-HTML floor ------------------------------------------------
const firstPage = await api('GET', '/conversations?limit=50', token);
const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const indexHtml = fs.readFileSync(path.join(assets, 'index.html'), 'utf8');
const styles = [...indexHtml.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
const floorHtml = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>floor</title>
${styles.map((href) => `<link rel="stylesheet" href="${href}">`).join('\n')}</head><body>
<div class="app"><main class="panes"><section class="list-pane"><div class="list-viewport"><div role="listbox" aria-label="Conversations">
${firstPage.items.map((c) => `<div role="option" class="row" aria-selected="false"><div class="row__main"><div class="row__top"><span class="row__name">${escape(c.contact.name)}</span><span class="row__time">now</span></div><p class="row__preview">${escape(c.last_message?.text ?? '')}</p></div></div>`).join('\n')}
</div></div></section></main></div></body></html>`;
const floorFile = path.join(assets, 'bench-floor.html');
fs.writeFileSync(floorFile, floorHtml);
process.on('exit', () => fs.rmSync(floorFile, { force: true }));

async function firstRowAt(url) {
  const { context, page } = await agentPage();
  await page.goto(url);
  const at = await page.evaluate(() => window.__firstRow);
  await context.close();
  return at;
}
const startup = { app: [], floor: [] };
for (let i = 0; i < SIZE.runs + 1; i++) {
  const app = await firstRowAt(`${base}/conversations`);
  const floor = await firstRowAt(`${base}/bench-floor.html`);
  if (i > 0) { startup.app.push(app); startup.floor.push(floor); } // the first run warms the OS caches
}
log('startup', JSON.stringify(startup));

// --- 3. Open the long conversation; 4. search ------------------------------------------------
const longId = String(SIZE.conversations + 1);
const longConversation = await api('GET', `/conversations/${longId}`, token);
const latest = (await api('GET', `/conversations/${longId}/messages?limit=50`, token)).items.find((m) => m.body && m.kind !== 'system');
step('open and search');
const open = [];
const search = [];
const words = ['refund', 'invoice', 'warehouse', 'delivery', 'password', 'upgrade', 'tracking'];
{
  const { context, page } = await agentPage();
  for (let i = 0; i < SIZE.runs; i++) {
    await page.goto(`${base}/conversations?q=${encodeURIComponent(longConversation.contact.name)}`);
    await page.locator(`#conversation-option-${longId}`).waitFor();
    open.push(await page.evaluate(async ({ id, text }) => {
      const row = document.getElementById(`conversation-option-${id}`);
      const t0 = performance.now();
      row.click();
      const t1 = await window.__bench.when(() => [...document.querySelectorAll('[role=log] .bubble__text')].some((b) => b.textContent.includes(text)));
      return t1 - t0;
    }, { id: longId, text: latest.body.slice(0, 60) }));
  }
  await page.goto(`${base}/conversations`);
  await page.getByRole('searchbox', { name: 'Search conversations' }).waitFor();
  for (let i = 0; i < SIZE.runs; i++) {
    const word = words[i % words.length];
    // A search looks through every status (like the app's list), most recent activity first.
    const expected = (await api('GET', `/conversations?q=${word}&limit=1`, token)).items[0];
    if (!expected) continue;
    search.push(await page.evaluate(async ({ word, id }) => {
      const box = document.querySelector('input[type=search], [role=searchbox]');
      const t0 = performance.now();
      box.value = word;
      box.dispatchEvent(new InputEvent('input', { bubbles: true }));
      const t1 = await window.__bench.when(() => document.querySelector('[role=listbox] [role=option]')?.id === `conversation-option-${id}`);
      return t1 - t0;
    }, { word, id: expected.id }));
  }
  await context.close();
}
log('open', JSON.stringify(open), 'search', JSON.stringify(search));

// --- 5. Live: an inbound message painted in another agent's browser --------------------------
const liveFrom = `bench-live-${Date.now()}`;
const liveStart = await api('POST', '/inbound', inbound, { channel: 'live_chat', from: liveFrom, name: 'Bench Live', body: 'starting' });
const live = [];
{
  const { context, page } = await agentPage();
  await page.goto(`${base}/conversations/${liveStart.conversation_id}`);
  await page.getByRole('log', { name: 'Messages' }).getByText('starting').waitFor();
  await page.waitForTimeout(500);
  for (let i = 0; i < SIZE.live; i++) {
    const text = `live ${i} ${Date.now()}`;
    await page.evaluate((text) => {
      window.__live = window.__bench.when(() => [...document.querySelectorAll('[role=log] .bubble__text')].some((b) => b.textContent === text)
        && document.querySelector('[role=listbox] [role=option]')?.textContent.includes(text)).then(() => Date.now());
    }, text);
    const t0 = Date.now();
    await api('POST', '/inbound', inbound, { channel: 'live_chat', from: liveFrom, name: 'Bench Live', body: text });
    live.push((await page.evaluate(() => window.__live)) - t0);
  }
  await context.close();
}
log('live', `p50 ${percentile(live, 0.5)} p95 ${percentile(live, 0.95)}`);

// --- 6. Smoothness and 7. bounds ---------------------------------------------------------------
/**
 * Scrolls `selector` from top to bottom (or bottom to top) frame by frame; long tasks and dropped
 * frames. `untilSelectorGone`: keep going past the end as long as that element exists (the chat
 * log renders a moving window of its history; while it is not at the latest, "Jump to latest"
 * is shown, so scrolling goes on until the whole history has passed by).
 */
async function scrollThrough(page, selector, direction, untilSelectorGone) {
  return page.evaluate(async ({ selector, direction, untilSelectorGone }) => {
    const el = document.querySelector(selector);
    window.__longTasks.length = 0;
    const frames = [];
    // Through what is loaded now: reaching the end would load more pages, and the run would
    // never end on a list of 100 000.
    const fixedEnd = el.scrollHeight - el.clientHeight;
    const end = () => (untilSelectorGone ? el.scrollHeight - el.clientHeight : fixedEnd);
    const more = () => untilSelectorGone && document.querySelector(untilSelectorGone);
    el.scrollTop = direction === 'down' ? 0 : end();
    let last = performance.now();
    let stalled = 0;
    await new Promise((resolve) => {
      const step = (now) => {
        frames.push(now - last);
        last = now;
        const before = el.scrollTop;
        el.scrollTop = Math.max(0, Math.min(end(), before + (direction === 'down' ? 400 : -400)));
        stalled = el.scrollTop === before ? stalled + 1 : 0;
        const atEnd = direction === 'down' ? el.scrollTop >= end() - 1 : el.scrollTop <= 0;
        if ((atEnd || stalled > 0) && !(more() && stalled < 30 && frames.length < 20000)) resolve();
        else requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    await new Promise((r) => setTimeout(r, 200));
    return { frames: frames.length, dropped: frames.filter((d) => d > 25).length, longTasks: window.__longTasks.filter((d) => d > 50).length, longestTaskMs: Math.max(0, ...window.__longTasks) };
  }, { selector, direction, untilSelectorGone });
}

let listScroll;
let logScroll;
let bounds;
{
  const { context, page } = await agentPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(`${base}/conversations`);
  await page.locator('[role=listbox] [role=option]').first().waitFor();
  // Load pages by scrolling to the end until enough conversations are in the list.
  const loadedCount = () => page.evaluate(() => Number(document.querySelector('[role=listbox] [role=option]')?.getAttribute('aria-setsize') ?? 0));
  for (let stalls = 0; (await loadedCount()) < SIZE.loaded && stalls < 20;) {
    const before = await loadedCount();
    await page.evaluate(() => { const v = document.querySelector('.list-viewport'); v.scrollTop = v.scrollHeight; });
    await page.waitForTimeout(150);
    stalls = (await loadedCount()) > before ? 0 : stalls + 1;
  }
  const loaded = await loadedCount();
  listScroll = { loaded, ...(await scrollThrough(page, '.list-viewport', 'down')) };
  const domElements = await page.evaluate(() => document.getElementsByTagName('*').length);

  // The long conversation, every page of its history loaded, scrolled through.
  await page.evaluate((id) => document.getElementById(`conversation-option-${id}`)?.click(), longId);
  await page.goto(`${base}/conversations/${longId}`);
  await page.getByRole('log', { name: 'Messages' }).locator('.bubble').first().waitFor();
  for (let i = 0; i < SIZE.long / 25 + 40; i++) {
    const done = await page.evaluate(() => document.querySelector('[role=log]').textContent.includes('Beginning of the conversation'));
    if (done) break;
    await page.evaluate(() => { document.querySelector('[role=log]').scrollTop = 0; });
    await page.waitForTimeout(120);
  }
  const reachedBeginning = await page.evaluate(() => document.querySelector('[role=log]').textContent.includes('Beginning of the conversation'));
  const bubblesInDom = await page.evaluate(() => document.querySelectorAll('[role=log] .bubble').length);
  // From the first message down to the latest, the log's window moving all the way.
  logScroll = { reachedBeginning, bubblesInDom, ...(await scrollThrough(page, '[role=log]', 'down', '.jump-latest')) };
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  const wasm = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
  bounds = { listLoaded: loaded, domElements, jsHeapMB: round(heap / 1048576), wasmMemoryMB: round(wasm / 1048576), logDomElements: await page.evaluate(() => document.getElementsByTagName('*').length) };
  await context.close();
}
log('scroll', JSON.stringify({ listScroll, logScroll }), 'bounds', JSON.stringify(bounds));
await browser.close();

// --- 8. Event fan-out to many stream clients ----------------------------------------------------
async function fanout(clients) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const marker = `fanout-${Date.now()}`;
  const received = [];
  const requests = [];
  const connected = [];
  for (let i = 0; i < clients; i++) {
    const { ticket } = await api('POST', '/events/ticket', token);
    connected.push(new Promise((resolve, reject) => {
      const request = http.get(`${base}/api/v1/events?ticket=${encodeURIComponent(ticket)}`, { agent, headers: { accept: 'text/event-stream' } }, (response) => {
        resolve();
        let buffer = '';
        let done = false;
        response.on('data', (chunk) => {
          buffer += chunk;
          if (!done && buffer.includes(marker)) { done = true; received.push(Date.now()); }
          if (buffer.length > 100000) buffer = buffer.slice(-1000);
        });
      });
      request.on('error', reject);
      requests.push(request);
    }));
  }
  await Promise.all(connected);
  await new Promise((r) => setTimeout(r, 500));
  const t0 = Date.now();
  await api('POST', '/inbound', inbound, { channel: 'live_chat', from: liveFrom, name: 'Bench Live', body: marker });
  for (let i = 0; i < 200 && received.length < clients; i++) await new Promise((r) => setTimeout(r, 25));
  for (const request of requests) request.destroy();
  agent.destroy();
  return { clients, reached: received.length, allMs: received.length === clients ? Math.max(...received) - t0 : null };
}
const fan = await fanout(SIZE.fanout);
log('fan-out', JSON.stringify(fan));
stop();

// --- Report -------------------------------------------------------------------------------------
const serverReport = JSON.parse(fs.readFileSync(path.join(out, 'server.json'), 'utf8'));
const serverP95 = Math.max(...serverReport.results.filter((r) => /^(list|filter|sort|search)/.test(r.query)).map((r) => r.p95_ms));
const figures = {
  size: { app: size.app, embed: size.embed },
  startup: { appMs: round(median(startup.app)), floorMs: round(median(startup.floor)), ratio: Number((median(startup.app) / median(startup.floor)).toFixed(2)), runs: startup },
  openMs: round(median(open)),
  searchMs: round(median(search)),
  live: { p50Ms: percentile(live, 0.5), p95Ms: percentile(live, 0.95), n: live.length },
  scroll: { list: listScroll, log: logScroll },
  bounds,
  server: { p95Ms: serverP95, fanout: fan },
  sizes: SIZE,
};
const kb = (b) => round(b / 1024);
const budgets = [
  ['App size (wasm+JS+CSS, brotli)', `${kb(size.app.brotli)} KB`, `≤ ${BUDGET.appBrotliKB} KB`, kb(size.app.brotli) <= BUDGET.appBrotliKB],
  ['Embed size (wasm+JS, brotli)', `${kb(size.embed.brotli)} KB`, `≤ ${BUDGET.embedBrotliKB} KB`, kb(size.embed.brotli) <= BUDGET.embedBrotliKB],
  ['Startup vs static HTML', `${figures.startup.appMs} / ${figures.startup.floorMs} ms = ${figures.startup.ratio}×`, `≤ ${BUDGET.startupRatio}×`, figures.startup.ratio <= BUDGET.startupRatio],
  [`Open the ${SIZE.long}-message conversation`, `${figures.openMs} ms`, `≤ ${BUDGET.openMs} ms`, figures.openMs <= BUDGET.openMs],
  ['Search keystroke → painted', `${figures.searchMs} ms`, `≤ ${BUDGET.searchMs} ms`, figures.searchMs <= BUDGET.searchMs],
  [`Live inbound → painted (p50 / p95 of ${live.length})`, `${figures.live.p50Ms} / ${figures.live.p95Ms} ms`, `p95 ≤ ${BUDGET.liveP95Ms} ms`, figures.live.p95Ms <= BUDGET.liveP95Ms],
  [`Long tasks scrolling ${listScroll.loaded} conversations`, `${listScroll.longTasks} (dropped frames ${listScroll.dropped}/${listScroll.frames})`, '0', listScroll.longTasks <= BUDGET.longTasks],
  [`Long tasks scrolling the ${SIZE.long}-message history${logScroll.reachedBeginning ? '' : ' (beginning NOT reached)'}, ≤ ${logScroll.bubblesInDom} bubbles in the DOM`, `${logScroll.longTasks} (dropped frames ${logScroll.dropped}/${logScroll.frames})`, '0', logScroll.longTasks <= BUDGET.longTasks && logScroll.reachedBeginning],
  [`DOM elements with ${bounds.listLoaded} conversations loaded`, `${bounds.domElements}`, `≤ ${BUDGET.domElements}`, bounds.domElements <= BUDGET.domElements],
  ['Memory after the scroll runs (JS heap + wasm)', `${bounds.jsHeapMB} + ${bounds.wasmMemoryMB} MB`, 'reported', null],
  ['Server list/search p95', `${serverP95} ms`, `≤ ${BUDGET.serverP95Ms} ms`, serverP95 <= BUDGET.serverP95Ms],
  [`Event fan-out to ${fan.clients} streams`, fan.allMs === null ? `${fan.reached} reached` : `${fan.allMs} ms`, 'reported', null],
].map(([name, value, budget, pass]) => ({ name, value, budget, verdict: pass === null ? 'info' : quick ? 'n/a (quick)' : pass ? 'PASS' : 'FAIL' }));

const stamp = new Date().toISOString();
fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify({ generated: stamp, quick, figures, budgets }, null, 2));
const md = [
  `# Convoroom benchmark${quick ? ' (quick smoke run: small data, no verdicts)' : ''}`,
  '',
  `${stamp}; ${SIZE.conversations} conversations, one of ${SIZE.long} messages; medians of ${SIZE.runs} runs; Chromium ${browser.version?.() ?? ''}`.trim(),
  '',
  '| figure | measured | budget | verdict |',
  '|---|---|---|---|',
  ...budgets.map((b) => `| ${b.name} | ${b.value} | ${b.budget} | ${b.verdict} |`),
  '',
  `Sizes raw / gzip / brotli: app ${kb(size.app.raw)} / ${kb(size.app.gzip)} / ${kb(size.app.brotli)} KB; embed ${kb(size.embed.raw)} / ${kb(size.embed.gzip)} / ${kb(size.embed.brotli)} KB.`,
  '',
].join('\n');
fs.writeFileSync(path.join(out, 'report.md'), md);
console.log(`\n${md}`);
const failed = budgets.filter((b) => b.verdict === 'FAIL').length;
if (failed > 0) {
  console.log(`bench: ${failed} budget(s) missed`);
  process.exitCode = 1;
}
