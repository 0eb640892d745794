#!/usr/bin/env node
// Quality gates for a site built by cypp (WCAG 2.2 AA, valid HTML/CSS, working links).
//
//   node quality.mjs SITE_DIR OUT_DIR [--expect-fail [--expect FILE]] [--timeout SECONDS]
//
// Gates, each printed with its findings and a summary line:
//   axe       axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) on every .html page in
//             headless Chromium, at 1280x900 and at 320x640
//   reflow    at 320 px no page scrolls sideways (WCAG 1.4.10; axe does not test it)
//   external  any request the pages make to a host other than the local test server
//   links     every relative href/src (and CSS url()) resolves to a file in SITE_DIR, every
//             #fragment to an id of its target; absolute URLs only in <a href>
//   vnu       the Nu Html Checker: 0 errors on the .html, .css and .svg files
// Screenshots of a few representative pages go to OUT_DIR/screenshots/.
//
// The site is served from 127.0.0.1 (a free port) under /some/prefix/, so a page that
// works here works under any sub-path. Nothing is fetched from anywhere else: requests to
// other hosts are recorded and aborted, and Chromium resolves no other host name.
//
// Exit status: 0 when every gate has 0 findings. With --expect-fail, 0 only when every
// expectation of FILE (JSON: [{"gate", "page", "match"}], default broken-site.expect.json)
// is met by a finding: the gate failed, naming that page and containing that text.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const PREFIX = '/some/prefix/';
const VIEWPORTS = [
  { name: '1280x900', width: 1280, height: 900 },
  { name: '320x640', width: 320, height: 640 },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const CHROMIUM = process.env.CYPP_CHROMIUM || '/usr/bin/chromium';
const JAVA = process.env.CYPP_JAVA || 'java';
const PAGES_IN_FLIGHT = 2; // per viewport; the machines have 2 cores

// ---------------------------------------------------------------- arguments
function usage(message) {
  if (message) console.error(`quality.mjs: ${message}`);
  console.error('usage: node quality.mjs SITE_DIR OUT_DIR [--expect-fail [--expect FILE]] [--timeout SECONDS]');
  process.exit(2);
}
const positional = [];
let expectFail = false;
let expectFile = path.join(HERE, 'broken-site.expect.json');
let timeoutSeconds = 840;
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--expect-fail') expectFail = true;
  else if (arg === '--expect') expectFile = process.argv[++i] ?? usage('--expect needs a file');
  else if (arg === '--timeout') timeoutSeconds = Number(process.argv[++i]);
  else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
  else positional.push(arg);
}
if (positional.length !== 2) usage();
if (!(timeoutSeconds > 0)) usage('--timeout needs a number of seconds');
const SITE = path.resolve(positional[0]);
const OUT = path.resolve(positional[1]);
if (!fs.existsSync(SITE) || !fs.statSync(SITE).isDirectory()) usage(`${SITE} is not a folder`);

// ---------------------------------------------------------------- clean-up
const cleanups = [];
let finished = false;
async function cleanUp() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try { await fn(); } catch { /* already gone */ }
  }
}
function abort(message) {
  if (finished) return;
  finished = true;
  console.error(`quality.mjs: ${message}`);
  cleanUp().finally(() => process.exit(3));
  // If closing hangs, leave anyway.
  setTimeout(() => process.exit(3), 5000).unref();
}
const hardTimeout = setTimeout(() => abort(`gave up after ${timeoutSeconds} s (hard timeout)`), timeoutSeconds * 1000);
process.on('SIGINT', () => abort('interrupted'));
process.on('SIGTERM', () => abort('terminated'));
process.on('uncaughtException', (e) => abort(`error: ${e.stack || e}`));
process.on('unhandledRejection', (e) => abort(`error: ${e?.stack || e}`));

// ---------------------------------------------------------------- files
function walk(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(full));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}
const allFiles = walk(SITE).map((f) => path.relative(SITE, f).split(path.sep).join('/')).sort();
const htmlFiles = allFiles.filter((f) => f.endsWith('.html'));
const cssFiles = allFiles.filter((f) => f.endsWith('.css'));
const svgFiles = allFiles.filter((f) => f.endsWith('.svg'));
if (htmlFiles.length === 0) usage(`${SITE} has no .html files`);

// Findings by gate; each is one printable line that starts with the page it is on.
const findings = { axe: [], reflow: [], external: [], links: [], vnu: [] };

// ---------------------------------------------------------------- server
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.xml': 'application/atom+xml',
  '.ics': 'text/calendar; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.pdf': 'application/pdf', '.txt': 'text/plain; charset=utf-8',
};
const notFound = []; // [url, referer]
function startServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = null;
    if (url.pathname.startsWith(PREFIX)) {
      let rel;
      try { rel = decodeURIComponent(url.pathname.slice(PREFIX.length)); } catch { rel = null; }
      if (rel !== null && !rel.includes('\0')) {
        const full = path.resolve(SITE, rel);
        if (full === SITE || full.startsWith(SITE + path.sep)) {
          // Folders are served as a static host would (index.html), but the link check
          // still insists on links to files, so that the site also works from disk.
          const candidate = fs.existsSync(full) && fs.statSync(full).isDirectory() ? path.join(full, 'index.html') : full;
          if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) file = candidate;
        }
      }
    }
    if (!file) {
      notFound.push([url.pathname, req.headers.referer || '']);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      cleanups.push(() => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }));
      resolve(server);
    });
  });
}

// ---------------------------------------------------------------- vnu
function runVnu(mode, files) {
  // mode: null (HTML), '--css' or '--svg'. Resolves to the error lines (gnu format).
  if (files.length === 0) return Promise.resolve([]);
  const jar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
  const args = ['-Xss8m', '-jar', jar, '--errors-only', '--format', 'gnu', '--exit-zero-always'];
  if (mode) args.push(mode);
  else args.push('--skip-non-html');
  args.push(...files.map((f) => path.join(SITE, f)));
  return new Promise((resolve) => {
    const child = spawn(JAVA, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (e) => resolve([`vnu: cannot run ${JAVA}: ${e.message}`]));
    child.on('close', (code) => {
      const lines = out.split('\n').filter((l) => l.trim() !== '');
      if (code !== 0 && lines.length === 0) lines.push(`vnu exited with status ${code}`);
      // "file:/abs/path/page.html":3.5-3.20: error: … → page.html:3.5-3.20: error: …
      resolve(lines.map((l) => l.replace(/^"?file:(?:\/\/)?([^"]*)"?:/, (_, p) => {
        const rel = path.relative(SITE, decodeURIComponent(p)).split(path.sep).join('/');
        return `${rel}:`;
      })));
    });
  });
}

// ---------------------------------------------------------------- link check
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}
function parseTags(html) {
  // A small scanner: comments, scripts and styles are set aside; each start tag gives its
  // name and attributes (lower-case names, entity-decoded values).
  const tags = [];
  const text = html.replace(/<!--[\s\S]*?-->/g, '');
  const tagRe = /<([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let m;
  while ((m = tagRe.exec(text))) {
    const attrs = {};
    const attrRe = /([^\s"'>\/=]+)(?:\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
    let a;
    while ((a = attrRe.exec(m[2]))) {
      const name = a[1].toLowerCase();
      if (!(name in attrs)) attrs[name] = decodeEntities(a[3] ?? a[4] ?? a[5] ?? '');
    }
    const name = m[1].toLowerCase();
    tags.push({ name, attrs, index: m.index });
    if (name === 'script' || name === 'style') {
      const close = text.toLowerCase().indexOf(`</${name}`, tagRe.lastIndex);
      if (name === 'style') tags.push({ name: '#css', css: text.slice(tagRe.lastIndex, close < 0 ? undefined : close) });
      if (close >= 0) tagRe.lastIndex = close;
    }
  }
  return tags;
}
const idCache = new Map();
function idsOf(relFile) {
  if (!idCache.has(relFile)) {
    const ids = new Set();
    for (const tag of parseTags(fs.readFileSync(path.join(SITE, relFile), 'utf8'))) {
      if (tag.attrs?.id !== undefined) ids.add(tag.attrs.id);
      if (tag.name === 'a' && tag.attrs.name !== undefined) ids.add(tag.attrs.name);
    }
    idCache.set(relFile, ids);
  }
  return idCache.get(relFile);
}
function cssUrls(css) {
  const urls = [];
  const re = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')/g;
  let m;
  while ((m = re.exec(css.replace(/\/\*[\s\S]*?\*\//g, '')))) urls.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]);
  return urls;
}
const URL_ATTRIBUTES = ['href', 'src', 'poster', 'data', 'action', 'formaction', 'cite', 'background', 'xlink:href', 'manifest', 'longdesc', 'icon'];
function checkReference(page, where, raw, externalAllowed) {
  const ref = raw.trim();
  const report = (problem) => findings.links.push(`${page}: ${where} "${raw}": ${problem}`);
  if (ref === '') { report('empty URL'); return; }
  if (/^(mailto|tel|sms):/i.test(ref)) {
    if (!externalAllowed) report('a mailto:/tel: URL is only for <a href>');
    return;
  }
  if (/^data:/i.test(ref)) return;
  if (/^(javascript|vbscript|file):/i.test(ref)) { report('URL scheme not allowed'); return; }
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('//')) {
    if (!/^(https?:)?\/\//i.test(ref)) { report('URL scheme not allowed'); return; }
    if (!externalAllowed) report('absolute URL: other hosts are allowed only as <a href> links, never loaded by a page');
    return;
  }
  if (ref.startsWith('/')) { report('root-relative URL: breaks when the site is not at the root of its host, or opened from disk'); return; }
  let resolved;
  const base = `http://site.invalid${PREFIX}${page}`;
  try { resolved = new URL(ref, base); } catch { report('not a valid URL'); return; }
  if (!resolved.pathname.startsWith(PREFIX)) { report('goes above the site folder'); return; }
  let target;
  try { target = decodeURIComponent(resolved.pathname.slice(PREFIX.length)); } catch { report('bad %-encoding'); return; }
  if (target === '' || target.endsWith('/')) { report('points to a folder, not a file: it does not work when the site is opened from disk'); return; }
  const full = path.join(SITE, target);
  if (!fs.existsSync(full)) { report(`no such file ${target}`); return; }
  if (fs.statSync(full).isDirectory()) { report(`${target} is a folder, not a file`); return; }
  const hash = resolved.hash ? decodeURIComponent(resolved.hash.slice(1)) : null;
  if (hash !== null && hash !== '' && ref.includes('#')) {
    if (!target.endsWith('.html')) return; // fragments of other files are not ids
    if (!idsOf(target).has(hash) && hash.toLowerCase() !== 'top') report(`no element with id="${hash}" in ${target}`);
  }
}
function checkLinks() {
  for (const page of htmlFiles) {
    const tags = parseTags(fs.readFileSync(path.join(SITE, page), 'utf8'));
    for (const tag of tags) {
      if (tag.name === '#css') { for (const u of cssUrls(tag.css)) checkReference(page, '<style> url()', u, false); continue; }
      for (const attribute of URL_ATTRIBUTES) {
        if (tag.attrs[attribute] === undefined) continue;
        const externalAllowed = attribute === 'href' && (tag.name === 'a' || tag.name === 'area');
        if (tag.name === 'link' && attribute === 'href') {
          // rel=alternate (e.g. the Atom feed) may name another host; stylesheets, icons and preloads may not.
          const rel = (tag.attrs.rel || '').toLowerCase().split(/\s+/);
          checkReference(page, `<link rel="${tag.attrs.rel || ''}" href>`, tag.attrs.href, rel.every((r) => ['alternate', 'canonical', 'author', 'license', 'help'].includes(r)));
          continue;
        }
        checkReference(page, `<${tag.name} ${attribute}>`, tag.attrs[attribute], externalAllowed);
      }
      for (const attribute of ['srcset', 'imagesrcset']) {
        if (tag.attrs[attribute] === undefined) continue;
        for (const candidate of tag.attrs[attribute].split(',')) {
          const u = candidate.trim().split(/\s+/)[0];
          if (u) checkReference(page, `<${tag.name} ${attribute}>`, u, false);
        }
      }
      if (tag.attrs?.style) for (const u of cssUrls(tag.attrs.style)) checkReference(page, `<${tag.name} style> url()`, u, false);
    }
  }
  for (const sheet of cssFiles) {
    for (const u of cssUrls(fs.readFileSync(path.join(SITE, sheet), 'utf8'))) checkReference(sheet, 'url()', u, false);
  }
}

// ---------------------------------------------------------------- browser
function pickScreenshots() {
  const first = (re, preferred) => (preferred && htmlFiles.includes(preferred) ? preferred : htmlFiles.find((f) => re.test(f)));
  const picks = {
    home: first(/^index\.html$/),
    chapter: first(/^plan\/[^/]+\/index\.html$/, 'plan/introduction/index.html'),
    'child-page': first(/^child\/[^/]+\/index\.html$/),
    consultation: first(/^consultation\/index\.html$/),
  };
  return Object.fromEntries(Object.entries(picks).filter(([, f]) => f));
}

async function runBrowser(origin) {
  const { chromium } = require('playwright-core');
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // Belt and braces for the external-host gate: no host but the test server resolves,
      // so a stray request never leaves the machine even if routing missed it.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    timeout: 60000,
  });
  cleanups.push(() => browser.close());
  const screenshots = pickScreenshots();
  await fsp.mkdir(path.join(OUT, 'screenshots'), { recursive: true });
  const axeByKey = new Map(); // page + rule + target → {line, viewports}
  const external = new Set();
  let screenshotCount = 0;

  async function runViewport(viewport) {
    const context = await browser.newContext({
      viewport: { width: viewport.width, height: viewport.height },
      javaScriptEnabled: true, serviceWorkers: 'block', offline: false,
    });
    context.setDefaultTimeout(60000);
    // axe-core goes into every page before it loads (cheaper than a script tag per page).
    await context.addInitScript({ content: axeSource });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + '/')) return route.continue();
      const frame = route.request().frame();
      let from = '?';
      try { from = pageOf(frame.url()); } catch { /* detached */ }
      external.add(`${from}: loads from another host: ${url}`);
      return route.abort('blockedbyclient');
    });
    const queue = htmlFiles.slice();
    async function worker() {
      const page = await context.newPage();
      page.on('pageerror', (e) => findings.axe.push(`${pageOf(page.url())}: script error on the page: ${e.message}`));
      while (queue.length) {
        const rel = queue.shift();
        const response = await page.goto(origin + PREFIX + rel, { waitUntil: 'load' });
        if (!response || !response.ok()) { findings.links.push(`${rel}: the server answered ${response?.status()}`); continue; }
        const shot = Object.entries(screenshots).find(([, f]) => f === rel);
        if (shot) {
          await page.screenshot({ path: path.join(OUT, 'screenshots', `${shot[0]}-${viewport.width}.png`), fullPage: true });
          screenshotCount++;
        }
        const violations = await page.evaluate(async (tags) => {
          // eslint-disable-next-line no-undef
          const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.length, target: v.nodes[0] ? v.nodes[0].target.join(' ') : '' }));
        }, AXE_TAGS);
        if (viewport.width <= 320) {
          const wide = await page.evaluate(() => {
            const width = document.documentElement.scrollWidth;
            if (width <= window.innerWidth) return null;
            const culprit = [...document.querySelectorAll('body *')].find((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && e.children.length === 0);
            const describe = (e) => e ? `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : ''} "${(e.textContent || '').trim().slice(0, 50)}"` : '?';
            return { width, culprit: describe(culprit) };
          });
          if (wide) findings.reflow.push(`${rel}: reflow: the page is ${wide.width} px wide at ${viewport.width} px and scrolls sideways (e.g. ${wide.culprit})`);
        }
        for (const v of violations) {
          const key = `${rel}\0${v.id}`;
          const line = `${rel}: ${v.id}: ${v.help} (${v.nodes} node${v.nodes === 1 ? '' : 's'}: ${v.target})`;
          if (!axeByKey.has(key)) axeByKey.set(key, { line, viewports: [] });
          axeByKey.get(key).viewports.push(viewport.name);
        }
      }
      await page.close();
    }
    await Promise.all(Array.from({ length: Math.min(PAGES_IN_FLIGHT, queue.length) }, worker));
    await context.close();
  }
  function pageOf(url) {
    const u = new URL(url);
    return u.pathname.startsWith(PREFIX) ? decodeURIComponent(u.pathname.slice(PREFIX.length)) : url;
  }

  await Promise.all(VIEWPORTS.map(runViewport));
  await browser.close();
  for (const { line, viewports } of axeByKey.values()) findings.axe.push(`${line} [${VIEWPORTS.map((v) => v.name).filter((n) => viewports.includes(n)).join(', ')}]`);
  findings.external.push(...external);
  for (const [url, referer] of notFound) {
    const from = referer.startsWith(origin + PREFIX) ? referer.slice((origin + PREFIX).length) : '(no page)';
    findings.links.push(`${from}: the browser asked for ${url}: not found`);
  }
  return screenshotCount;
}

// ---------------------------------------------------------------- main
function printGate(name, title, lines) {
  const unique = [...new Set(lines)].sort();
  findings[name] = unique;
  console.log(`\n== ${title}: ${unique.length} finding${unique.length === 1 ? '' : 's'}`);
  for (const line of unique) console.log(`  ${line}`);
}

async function main() {
  const started = Date.now();
  await fsp.mkdir(OUT, { recursive: true });
  console.log(`quality.mjs: ${htmlFiles.length} pages, ${cssFiles.length} stylesheets, ${svgFiles.length} SVG files in ${SITE}`);

  // The HTML checker runs in its own process while the browser works.
  const vnuHtml = runVnu(null, htmlFiles);

  checkLinks();

  const server = await startServer();
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`quality.mjs: serving at ${origin}${PREFIX}`);
  const browserStarted = Date.now();
  const screenshotCount = await runBrowser(origin);
  const browserSeconds = ((Date.now() - browserStarted) / 1000).toFixed(1);

  const vnu = [...await vnuHtml, ...await runVnu('--css', cssFiles), ...await runVnu('--svg', svgFiles)];
  await cleanUp();

  printGate('axe', `axe-core (${AXE_TAGS.join(', ')}) at ${VIEWPORTS.map((v) => v.name).join(' and ')}`, findings.axe);
  printGate('reflow', `reflow at ${VIEWPORTS.map((v) => v.width).filter((w) => w <= 320).join(', ')} px`, findings.reflow);
  printGate('external', 'requests to other hosts', findings.external);
  printGate('links', 'link check', findings.links);
  printGate('vnu', 'Nu Html Checker (HTML, CSS, SVG)', vnu);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log('\nSummary');
  console.log(`  axe:      ${findings.axe.length} violation(s) on ${htmlFiles.length} pages x ${VIEWPORTS.length} viewports (${browserSeconds} s in the browser)`);
  console.log(`  reflow:   ${findings.reflow.length} page(s) wider than 320 px`);
  console.log(`  external: ${findings.external.length} request(s) to other hosts`);
  console.log(`  links:    ${findings.links.length} broken or disallowed reference(s)`);
  console.log(`  vnu:      ${findings.vnu.length} error(s) in ${htmlFiles.length} HTML, ${cssFiles.length} CSS, ${svgFiles.length} SVG files`);
  console.log(`  screenshots: ${screenshotCount} in ${path.join(OUT, 'screenshots')}`);
  console.log(`  time: ${seconds} s`);

  const failed = Object.keys(findings).filter((g) => findings[g].length > 0);
  if (!expectFail) {
    console.log(failed.length === 0 ? 'quality: every gate passed' : `quality: FAILED gates: ${failed.join(', ')}`);
    return failed.length === 0 ? 0 : 1;
  }

  // --expect-fail: every expectation must be met by a finding of its gate on its page.
  const expectations = JSON.parse(fs.readFileSync(expectFile, 'utf8'));
  let missed = 0;
  console.log(`\nExpected failures (${path.relative(process.cwd(), expectFile) || expectFile})`);
  for (const e of expectations) {
    if (!(e.gate in findings)) throw new Error(`${expectFile}: unknown gate ${e.gate}`);
    const hit = findings[e.gate].find((line) => line.startsWith(`${e.page}:`) && line.includes(e.match));
    if (hit) console.log(`  ok    ${e.gate} reports "${e.match}" on ${e.page}`);
    else { missed++; console.log(`  MISSED ${e.gate} did not report "${e.match}" on ${e.page}`); }
  }
  const gates = [...new Set(expectations.map((e) => e.gate))];
  const passing = gates.filter((g) => findings[g].length === 0);
  if (missed === 0 && passing.length === 0) {
    console.log(`quality --expect-fail: every expected finding was reported (gates ${gates.join(', ')} failed as they should)`);
    return 0;
  }
  console.log(`quality --expect-fail: FAILED: ${missed} expected finding(s) not reported${passing.length ? `; gates that passed but should not: ${passing.join(', ')}` : ''}`);
  return 1;
}

main().then(async (code) => {
  finished = true;
  clearTimeout(hardTimeout);
  await cleanUp();
  process.exit(code);
}, (e) => abort(`error: ${e?.stack || e}`));
