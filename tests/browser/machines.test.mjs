// The web page in a real browser (Debian chromium driven by playwright-core). run.sh starts the
// service at $BASE_URL and seeds it with seed.mjs first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = process.env.BASE_URL;
const shots = process.env.SHOT_DIR ?? 'target';
const profile = mkdtempSync(join(tmpdir(), 'kubefim-chromium-'));
let context;
let page;

before(async () => {
  mkdirSync(shots, { recursive: true });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  page = context.pages()[0] ?? (await context.newPage());
});

test('the page asks for a login at the OIDC issuer, and the session cookie is Secure, HttpOnly, SameSite', async () => {
  await page.goto(`${base}/`);
  assert.ok(page.url().startsWith(`${process.env.ISSUER_URL}/authorize`), page.url());
  assert.equal(await page.title(), 'Sign in · Test issuer');
  await page.getByLabel('User name').fill('alice@example.com');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  assert.equal(await page.title(), 'Machines · KubeFIM');
  const session = (await context.cookies(base)).find((c) => c.name === 'q_session');
  assert.ok(session, 'a q_session cookie');
  assert.equal(session.secure, true);
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
});

after(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
});

const cell = (computer, type) =>
  page.locator(`#machines tr[data-computer="${computer}"] td[data-type="${type}"]`);

test('machines page lists every seeded machine with its counts', async () => {
  await page.goto(`${base}/`);
  assert.equal(await page.title(), 'Machines · KubeFIM');
  const expected = {
    'node-a': [2, 3, 1, 1],
    'node-b': [1, 1, 0, 0],
    'node-c': [0, 0, 0, 0],
  };
  for (const [computer, counts] of Object.entries(expected)) {
    const got = [];
    for (const type of ['Created', 'Modified', 'Renamed', 'Deleted']) {
      got.push(Number(await cell(computer, type).textContent()));
    }
    assert.deepEqual(got, counts, computer);
  }
  assert.equal((await cell('node-a', 'CoverageGap').textContent()).trim(), '⚠ 1 coverage gap');
  assert.equal((await cell('node-c', 'CoverageGap').textContent()).trim(), 'no gaps');
  assert.match(await page.locator('#machines tr[data-computer="node-a"]').textContent(), /linux-recommended/);
  assert.equal(await page.locator('#summary tbody tr').count(), 7);
  await page.screenshot({ path: `${shots}/machines.png`, fullPage: true });
});

test('clicking a machine shows its changes; a filter narrows them', async () => {
  await page.goto(`${base}/`);
  await page.getByRole('link', { name: 'node-a', exact: true }).click();
  await page.waitForURL(/\/machines\/node-a/);
  assert.equal(await page.title(), 'node-a: changes · KubeFIM');
  assert.equal(await page.locator('#changes details').count(), 9);
  await page.screenshot({ path: `${shots}/machine.png`, fullPage: true });

  await page.selectOption('#changeType', 'Modified');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/changeType=Modified/);
  assert.equal(await page.locator('#changes details').count(), 3);

  await page.fill('#pathPrefix', '/etc/ssl');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/pathPrefix=%2Fetc%2Fssl/);
  assert.equal(await page.locator('#changes details').count(), 1);
  await page.screenshot({ path: `${shots}/machine-filtered.png`, fullPage: true });
});

test('a change opens to its old and new values', async () => {
  await page.goto(`${base}/machines/node-a?changeType=Modified&pathPrefix=/etc/passwd`);
  const change = page.locator('#changes details').first();
  assert.equal(await change.evaluate((d) => d.open), false);
  await change.locator('summary').click();
  assert.equal(await change.evaluate((d) => d.open), true);
  const sha = change.locator('table.values tr', { hasText: 'SHA-256' });
  assert.deepEqual(await sha.locator('td').allTextContents(), ['b2'.repeat(32), 'a1'.repeat(32)]);
  const mode = change.locator('table.values tr', { hasText: 'Mode' });
  assert.deepEqual(await mode.locator('td').allTextContents(), ['0600', '0644']);
  assert.match(await change.textContent(), /Process\s*vi/);
  assert.match(await change.textContent(), /Pod\s*debug-pod/);
  await page.screenshot({ path: `${shots}/change.png`, fullPage: true });
});

const order = async () =>
  page.locator('#machines tbody tr[data-computer]').evaluateAll((rows) => rows.map((r) => r.dataset.computer));

test('machines with unexpected changes come first; expected ones are counted apart', async () => {
  await page.goto(`${base}/`);
  assert.deepEqual(await order(), ['node-a', 'node-b', 'node-c', 'node-d']);
  assert.equal(Number(await cell('node-a', 'Unreviewed').textContent()), 7);
  assert.equal(Number(await cell('node-a', 'Unexpected').textContent()), 7);
  assert.equal(Number(await cell('node-d', 'Unexpected').textContent()), 0);
  assert.equal(Number(await cell('node-d', 'Expected').textContent()), 1);
});

test('a machine page lists expected changes apart, with their reason and the window summary', async () => {
  await page.goto(`${base}/machines/node-d`);
  assert.equal(await page.locator('#changes details').count(), 0);
  const expected = page.locator('#expected-changes details');
  assert.equal(await expected.count(), 2);
  assert.match(await page.locator('#expected-changes').textContent(), /expected: PackageManager:\/usr\/bin\/dpkg/);
  const summary = expected.filter({ hasText: 'MaintenanceWindowClosed' });
  await summary.locator('summary').click();
  const dir = summary.locator('table.window-dirs tbody tr').first();
  assert.deepEqual(await dir.locator('td').allTextContents(), ['/usr/bin', '1']);
  await page.screenshot({ path: `${shots}/machine-expected.png`, fullPage: true });
});

test('"Mark reviewed" marks what the page showed; the machine no longer counts unreviewed', async () => {
  await page.goto(`${base}/machines/node-b`);
  assert.match(await page.locator('#review').textContent(), /2 unexpected changes not yet reviewed/);
  assert.equal(await page.locator('#changes .unreviewed').count(), 2);
  await page.getByRole('button', { name: 'Mark reviewed' }).click();
  await page.waitForURL(`${base}/machines/node-b`);
  assert.match(await page.locator('#review').textContent(), /No unreviewed unexpected changes/);
  assert.equal(await page.locator('#changes .reviewed').count(), 2);
  assert.match(await page.locator('#changes').textContent(), /reviewed by \S+/);
  await page.screenshot({ path: `${shots}/machine-reviewed.png`, fullPage: true });

  await page.goto(`${base}/`);
  assert.equal(Number(await cell('node-b', 'Unreviewed').textContent()), 0);
  assert.equal(Number(await cell('node-b', 'Unexpected').textContent()), 2);
  assert.deepEqual(await order(), ['node-a', 'node-b', 'node-c', 'node-d']);
});

test('logging out ends the session: the page asks for a login again', async () => {
  await page.goto(`${base}/logout`);
  await page.waitForURL(`${base}/logged-out`);
  assert.match(await page.locator('h1').textContent(), /Logged out/);
  await page.goto(`${base}/`);
  assert.ok(page.url().startsWith(`${process.env.ISSUER_URL}/authorize`), page.url());
});
