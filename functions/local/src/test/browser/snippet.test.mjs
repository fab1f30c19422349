// The snippet as a visitor's browser runs it (PRODUCT §2.4): real Chromium, a site on one loopback origin, the local
// stack (started by its own script) on another. Run by scripts/test.sh after the Maven build made the stack's jar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'handoff-browser-'));
const run = Math.random().toString(36).slice(2, 8);

let stack, stackLog = '', site, browser, STACK, SITE;

function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
  });
}

const page = (title, body) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<script src="${STACK}/handoff.js" data-endpoint="${STACK}" async></script></head><body><h1>${title}</h1>${body}</body></html>`;

// The site's own form handling: it posts the form itself and shows its own thank-you, as many sites do.
const scriptedForm = () => `
<form id="contact" action="${STACK}/forms/contact-sales/submissions" method="post">
  <input name="email"><input name="firstname"><input name="jobtitle"><input name="company"><input name="numberofemployees">
  <button type="submit">Send</button>
</form><p id="done"></p>
<script>
  document.getElementById('contact').addEventListener('submit', function (e) {
    e.preventDefault();
    fetch(this.action, { method: 'POST', body: new URLSearchParams(new FormData(this)) })
      .then(function (r) { document.getElementById('done').textContent = 'status ' + r.status; });
  });
</script>`;

// No script of the site's own: the browser posts the form and follows the answer.
const plainForm = () => `
<form action="${STACK}/forms/demo-request/submissions" method="post">
  <input name="email"><input name="company"><button type="submit">Book a demo</button>
</form>`;

async function json(path) {
  const r = await fetch(STACK + path);
  return { status: r.status, body: r.status === 200 ? await r.json() : null };
}

async function until(what, probe, seconds = 30) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what + '\n--- stack log ---\n' + stackLog.slice(-4000));
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/test.sh installs Debian's chromium package`);
  const [stackPort, sitePort] = [await freePort(), await freePort()];
  STACK = `http://127.0.0.1:${stackPort}`;
  SITE = `http://127.0.0.1:${sitePort}`;

  // The demo form sends a plain HTML post on to the site's thank-you page (the catalogue's redirect).
  const policy = join(dir, 'policy.yaml');
  const preset = readFileSync(join(ROOT, 'policies/score-threshold.yaml'), 'utf8');
  const edited = preset.replace('  demo-request: demo-request\n',
    `  demo-request: {type: demo-request, redirect: "${SITE}/thanks"}\n`);
  assert.notEqual(edited, preset);
  writeFileSync(policy, edited);

  site = createServer((req, res) => {
    const path = req.url.split('?')[0];
    const body = {
      '/pricing': () => page('Pricing', '<p>Plans</p>'),
      '/pricing/team': () => page('Team plan', '<p>Team</p>'),
      '/pricing/enterprise': () => page('Enterprise plan', '<p>Enterprise</p>'),
      '/contact': () => page('Contact sales', scriptedForm()),
      '/demo': () => page('Book a demo', plainForm()),
      '/thanks': () => page('Thanks', '<p id="thanks">We will be in touch.</p>'),
      '/favicon.ico': () => '',
      // The snippet twice, and a form that does not post to Handoff.
      '/twice': () => `<!doctype html><html><head><script>document.cookie = 'handoff_sid=; Path=/';</script>
        <script src="${STACK}/handoff.js" data-endpoint="${STACK}" async></script>
        <script src="${STACK}/handoff.js" data-endpoint="${STACK}" async></script></head>
        <body><form action="/search"><input name="q"></form></body></html>`,
    }[path];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(body ? body() : 'not found');
  }).listen(sitePort, '127.0.0.1');

  stack = spawn('bash', [join(ROOT, 'scripts/run-local.sh'), '--port', String(stackPort), '--policy', policy,
    '--alerts-file', join(dir, 'alerts.jsonl')], { cwd: ROOT, env: { ...process.env, HANDOFF_LOCAL_NO_BUILD: '1' } });
  stack.stdout.on('data', (d) => { stackLog += d; });
  stack.stderr.on('data', (d) => { stackLog += d; });
  await until('the local stack', async () => stackLog.includes('listening on'), 180);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
  if (stack) {
    stack.kill('SIGTERM');
    await new Promise((r) => { stack.once('exit', r); setTimeout(r, 10000); });
  }
});

function watchConsole(p, problems) {
  p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.type() + ': ' + m.text()); });
  p.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
}

test('a visitor views pricing pages, then the site posts its contact form: the views count and the alert comes once', async () => {
  const context = await browser.newContext();
  const p = await context.newPage();
  const problems = [];
  watchConsole(p, problems);
  const beacons = [];
  p.on('request', (r) => { if (r.url() === STACK + '/t') beacons.push(JSON.parse(r.postData()).type); });

  for (const path of ['/pricing', '/pricing/team', '/pricing/enterprise']) {
    await p.goto(SITE + path);
    await until('the snippet on ' + path, () => p.evaluate(() => window.__handoffLoaded === true));
  }
  const cookies = await context.cookies(SITE);
  const vid = cookies.find((c) => c.name === 'handoff_vid');
  assert.ok(vid, 'the visitor id cookie is set');
  assert.match(vid.value, /^[A-Za-z0-9_-]{8,128}$/);
  assert.equal(vid.sameSite, 'Lax');
  assert.equal(vid.secure, false, 'Secure only on https');
  assert.ok(vid.expires * 1000 > Date.now() + 390 * 24 * 3600 * 1000, '13 months');
  assert.ok(cookies.find((c) => c.name === 'handoff_sid'), 'the session cookie is set');

  const email = `ana-${run}@acme.com`;
  await p.goto(SITE + '/contact?utm_source=newsletter&utm_medium=email&utm_campaign=launch');
  await until('the snippet on /contact', () => p.evaluate(() => window.__handoffLoaded === true));
  await p.fill('input[name=email]', email);
  await p.fill('input[name=firstname]', 'Ana');
  await p.fill('input[name=jobtitle]', 'VP Engineering');
  await p.fill('input[name=company]', 'Acme');
  await p.fill('input[name=numberofemployees]', '500');
  await p.click('button[type=submit]');
  // The site's own handler ran (it shows its own message), with the snippet's hidden visitorId in the post.
  await until('the site\'s own thank-you', async () => (await p.textContent('#done')) === 'status 202');
  assert.equal(await p.inputValue('form#contact input[name=visitorId]'), vid.value);
  assert.equal(p.url(), SITE + '/contact?utm_source=newsletter&utm_medium=email&utm_campaign=launch', 'no navigation');

  const contact = await until('the contact with its three pricing views', async () => {
    const c = await json('/contacts/' + encodeURIComponent(email));
    const views = c.body?.signals?.find((s) => s.rule === 'pricing-page-views');
    return views && views.matched >= 3 && c.body.lifecycleStage === 'salesqualifiedlead' ? c.body : null;
  });
  assert.equal(contact.signals.find((s) => s.rule === 'pricing-page-views').matched, 3);
  assert.equal(contact.properties.utm_source, 'newsletter');
  assert.equal(contact.properties.first_utm_campaign, 'launch');
  assert.equal(contact.properties.pageUrl, SITE + '/contact?utm_source=newsletter&utm_medium=email&utm_campaign=launch');

  const alertsFile = join(dir, 'alerts.jsonl');
  const alertsFor = () => (existsSync(alertsFile) ? readFileSync(alertsFile, 'utf8') : '').split('\n')
    .filter(Boolean).map((l) => JSON.parse(l)).filter((a) => a.contact.email === email);
  await until('the alert', () => alertsFor().length >= 1);
  await new Promise((r) => setTimeout(r, 1500)); // time for a second alert, were there one
  assert.equal(alertsFor().length, 1);
  assert.equal(alertsFor()[0].attribution.utm_source, 'newsletter');

  assert.deepEqual(beacons.sort(), ['PageViewed', 'PageViewed', 'PageViewed', 'PageViewed', 'SessionStarted'],
    'a beacon per page view, and one session start');
  assert.deepEqual(problems, [], 'no console errors or warnings');
  await context.close();
});

test('a plain HTML form with no script of the site\'s own lands on the thank-you page', async () => {
  const context = await browser.newContext();
  const p = await context.newPage();
  const problems = [];
  watchConsole(p, problems);
  const email = `bo-${run}@globex.com`;
  await p.goto(SITE + '/demo');
  await until('the snippet on /demo', () => p.evaluate(() => window.__handoffLoaded === true));
  await p.fill('input[name=email]', email);
  await p.fill('input[name=company]', 'Globex');
  await Promise.all([p.waitForURL(SITE + '/thanks'), p.click('button[type=submit]')]);
  assert.equal(await p.textContent('#thanks'), 'We will be in touch.');
  const vid = (await context.cookies(SITE)).find((c) => c.name === 'handoff_vid').value;
  const c = await until('the contact', async () => {
    const r = await json('/contacts/' + encodeURIComponent(email));
    return r.status === 200 ? r.body : null;
  });
  assert.equal(c.properties.company, 'Globex');
  assert.equal(c.properties.pageUrl, SITE + '/demo');
  assert.ok(vid.length >= 8);
  assert.deepEqual(problems, [], 'no console errors or warnings');
  await context.close();
});

test('the snippet loaded twice does no harm: one page view, and a form that does not post to Handoff is left alone', async () => {
  const context = await browser.newContext();
  const p = await context.newPage();
  const problems = [];
  watchConsole(p, problems);
  const sent = [];
  p.on('request', (r) => { if (r.url() === STACK + '/t') sent.push(JSON.parse(r.postData())); });
  await p.goto(SITE + '/twice');
  await until('the snippet', () => p.evaluate(() => window.__handoffLoaded === true));
  await until('its beacons', () => sent.filter((b) => b.type === 'PageViewed').length >= 1);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(sent.filter((b) => b.type === 'PageViewed').length, 1);
  assert.equal(await p.locator('form input[name=visitorId]').count(), 0, 'a form that does not post to Handoff is left alone');
  assert.deepEqual(problems, [], 'no console errors or warnings');
  await context.close();
});
