// SPDX-License-Identifier: MIT
// The page with live DNS checks against the loopback DNS-over-HTTPS stack
// (scripts/dns-stack), in a Chromium that writes its own network log: no
// request may go anywhere but the page's server and the chosen resolver.
// Also: checks that appear pending and settle without moving the page,
// markup in DNS answers, share links carrying a DNS snapshot, the Received
// timeline from a report fixture, and offline use through the service
// worker.

import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';

import {
  ROOT, launchBrowser, openPage, screenshot, seriousA11yViolations, startServer, startStack,
  waitForResult,
} from './harness.mjs';

const logDir = mkdtempSync(path.join(tmpdir(), 'bouncedx-netlog-'));
const NET_LOG = path.join(logDir, 'netlog.json');

let server;
let browser;
let stack;
let slowStack;

before(async () => {
  server = await startServer();
  stack = await startStack();
  slowStack = await startStack(['--delay-ms', '300']);
  browser = await launchBrowser({args: [
    `--log-net-log=${NET_LOG}`, '--net-log-capture-mode=Default',
    // Less of Chromium's own traffic in the log.
    '--disable-extensions', '--disable-default-apps', '--no-pings', '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    '--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter',
  ]});
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'],
                                         {origin: server.url});
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (stack) await stack.stop();
  if (slowStack) await slowStack.stop();
  rmSync(logDir, {recursive: true, force: true});
});

async function openWith(dohUrl, extra = '', options = {}) {
  const origin = server.url.replace(/\/$/, '');
  const url = `${server.url}?resolver=${encodeURIComponent(dohUrl)}${extra}`;
  const opened = await openPage(browser.context, url, origin, options);
  opened.page.on('dialog', (dialog) => {
    opened.errors.push(`dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  return opened;
}

async function waitForSettled(page) {
  await waitForResult(page);
  await page.waitForFunction(() => document.querySelectorAll('.check.state-pending').length === 0,
                             null, {timeout: 60000});
}

async function checkStates(page) {
  return page.$$eval('.check', (items) => items.map((li) =>
    `${li.getAttribute('data-check')}=${li.getAttribute('data-state')}`));
}

const XSS_HEADERS = [
  'Received: from mail.xss.example (<img src=x onerror=window.__xss=1> [203.0.113.66])',
  '        by mx.example.org (Postfix) with ESMTP id 4F2A; Tue, 14 Nov 2023 09:12:44 +0000',
  'Return-Path: <bob@xss.example>',
  'From: "<svg onload=window.__xss=2>" <bob@xss.example>',
  'DKIM-Signature: v=1; a=rsa-sha256; d=xss.example; s=x1; h=from; bh=AAAA; b=AAAA',
  'Subject: <script>window.__xss=3</script>',
  '',
  '550 5.7.1 <bob@xss.example>: rejected; client host [203.0.113.66] blocked using zen.spamhaus.org',
].join('\n');

describe('live checks', () => {
  test('checks appear pending, settle one by one, and nothing above them moves', async () => {
    const {page, errors} = await openWith(slowStack.dohUrl);
    await page.evaluate(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
      }).observe({type: 'layout-shift', buffered: true});
    });
    await page.getByRole('button', {name: 'Full bounce (DSN)'}).click();
    await page.waitForSelector('.check.state-pending', {timeout: 10000});
    await screenshot(page, 'checks-running');
    const pendingRows = await page.locator('.check.state-pending').count();
    assert.ok(pendingRows > 0);
    // Every pending row says it is waiting, in words, not only by a spinner.
    assert.match(await page.locator('.check.state-pending .check-state').first().textContent(),
                 /Checking/);
    await waitForSettled(page);
    const shift = await page.evaluate(() => window.__shift);
    assert.ok(shift < 0.1, `cumulative layout shift ${shift}`);
    await page.waitForFunction(() => /^DNS checks finished: /.test(
        document.getElementById('announcer').textContent));
    await screenshot(page, 'checks-done');
    assert.deepEqual(await seriousA11yViolations(page), [], 'accessibility (checks done)');
    // Each settled check opens to the DNS data behind it.
    const withData = page.locator('.check .check-more').first();
    await withData.locator('summary').click();
    assert.ok(await withData.locator('table.records tbody tr, .check-details li').count() > 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('markup in DNS answers and header values is shown as text', async () => {
    const {page, errors} = await openWith(stack.dohUrl);
    await page.fill('#input', XSS_HEADERS);
    await page.click('#diagnose');
    await waitForSettled(page);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('#report img, #report script, #report iframe').count(), 0);
    const asked = (await checkStates(page)).join(' ');
    const ptr = page.locator('.check[data-check="ptr"]');
    if (await ptr.count() > 0) {
      await ptr.locator('summary').click().catch(() => {});
      assert.match(await ptr.textContent(), /<img\\032src=x\\032onerror=alert\(1\)>/, asked);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a link with a DNS snapshot restores the same checks, and can re-check live', async () => {
    const {page, errors} = await openWith(stack.dohUrl);
    await page.getByRole('button', {name: 'Blocklisted IP'}).click();
    await waitForSettled(page);
    const states = await checkStates(page);
    await page.click('#share-open');
    await page.waitForFunction(() => /DNS answers/.test(document.getElementById('share-size').textContent));
    const fragment = new URL(await page.inputValue('#share-url')).hash;
    assert.deepEqual(errors, []);
    await page.close();

    // The receiver has DNS off: everything comes from the snapshot.
    const origin = server.url.replace(/\/$/, '');
    const opened = await openPage(browser.context, `${server.url}?dns=off${fragment}`, origin);
    await waitForSettled(opened.page);
    assert.deepEqual(await checkStates(opened.page), states);
    assert.match(await opened.page.locator('#shared-text').textContent(),
                 /DNS as checked at .+ through 127\.0\.0\.1:\d+ \(\d+ answers recorded\)/);
    assert.deepEqual(opened.foreign, [], 'a snapshot needs no resolver');
    assert.equal(await opened.page.isVisible('#recheck'), true);
    await screenshot(opened.page, 'shared-snapshot');
    assert.deepEqual(opened.errors, []);
    await opened.page.close();
  });

  test('the Received timeline of a report fixture', async () => {
    const fixture = JSON.parse(readFileSync(path.join(ROOT, 'tests', 'web', 'fixtures',
                                                      'report-hops.json'), 'utf8'));
    const origin = server.url.replace(/\/$/, '');
    const {page, errors} = await openPage(browser.context, `${server.url}?dns=off`, origin);
    // Renders the fixture with the page's own modules, as app.js would.
    await page.evaluate(async (report) => {
      const {createReportView} = await import('./render.js');
      const view = createReportView(document.getElementById('report'));
      view.render(report, new TextEncoder().encode('Received: ...'), {dnsChecks: false});
    }, fixture);
    assert.equal(await page.locator('svg.timeline .tl-row').count(), 4);
    assert.equal(await page.locator('svg.timeline .tl-edge').count(), 1);
    assert.match(await page.locator('svg.timeline .tl-edge').textContent(), /mail\.example\.com/);
    assert.equal(await page.locator('.hops tr.edge').count(), 1);
    assert.match(await page.locator('svg.timeline desc').textContent(), /4 hops, 20 s in total/);
    await page.locator('[data-section="headers"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'headers-timeline-fixture');
    assert.deepEqual(await seriousA11yViolations(page), [], 'accessibility (timeline)');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('offline, the page still opens and diagnoses; DNS checks end in error', async () => {
    const {page} = await openWith(stack.dohUrl);
    await page.waitForFunction(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return Boolean(registration && registration.active);
    }, null, {timeout: 20000});
    // Let the worker finish caching every file.
    await page.waitForFunction(async () => (await (await caches.open('bouncedx-v2')).keys()).length >= 17);
    await page.close();
    await browser.context.setOffline(true);
    try {
      const origin = server.url.replace(/\/$/, '');
      const url = `${server.url}?resolver=${encodeURIComponent(stack.dohUrl)}`;
      const {page: offline} = await openPage(browser.context, url, origin);
      await offline.getByRole('button', {name: 'Blocklisted IP'}).click();
      await waitForSettled(offline);
      assert.match(await offline.locator('#verdict-title').textContent(), /blocklist/i);
      const states = await checkStates(offline);
      assert.ok(states.length > 0 && states.every((s) => s.endsWith('=error')), states.join(' '));
      await screenshot(offline, 'offline');
      await offline.close();
    } finally {
      await browser.context.setOffline(false);
    }
  });
});

describe('the network log', () => {
  test('no request went anywhere but the page and the chosen resolver', async (t) => {
    const {page} = await openWith(stack.dohUrl);
    await page.getByRole('button', {name: 'Full bounce (DSN)'}).click();
    await waitForSettled(page);
    await page.fill('#input', XSS_HEADERS);
    await page.click('#diagnose');
    await waitForSettled(page);
    await page.close();
    // Chromium finishes the log file when it exits.
    await browser.close();
    browser = null;
    const log = JSON.parse(readFileSync(NET_LOG, 'utf8'));
    const page0 = new URL(server.url).origin;
    const resolvers = [new URL(stack.dohUrl).origin, new URL(slowStack.dohUrl).origin];
    const ours = (u) => u.startsWith(`${page0}/`) || resolvers.some((r) => u.startsWith(`${r}/`)) ||
        u.startsWith('data:') || u.startsWith('blob:');
    // Every request job in the log, with the origin that caused it and the
    // site it was made for (network isolation key). The browser's own
    // housekeeping (updates, accounts) is made for other sites with no
    // origin; whatever the page or its service worker asks for carries the
    // page's origin or site.
    const types = Object.fromEntries(Object.entries(log.constants.logEventTypes)
        .map(([name, id]) => [id, name]));
    const site = page0.replace(/:\d+$/, '');
    const jobs = log.events.filter((e) => types[e.type] === 'URL_REQUEST_START_JOB' &&
                       e.params && typeof e.params.url === 'string')
        .map((e) => ({url: e.params.url, initiator: e.params.initiator || '',
                      key: e.params.network_isolation_key || ''}));
    const fromPage = jobs.filter((j) => j.initiator === page0 || j.key.startsWith(`${site} `) ||
                                        j.url.startsWith(`${page0}/`));
    const dohSeen = fromPage.filter((j) => resolvers.some((o) => j.url.startsWith(`${o}/`)));
    assert.ok(dohSeen.length > 5, `resolver requests from the page in the log: ${dohSeen.length}`);
    const others = [...new Set(fromPage.filter((j) => !ours(j.url)).map((j) => j.url))];
    const browserOwn = [...new Set(jobs.filter((j) => !fromPage.includes(j))
        .map((j) => new URL(j.url).host))];
    if (browserOwn.length > 0) {
      t.diagnostic(`Chromium's own requests, not made for the page: ${browserOwn.join(', ')}`);
    }
    assert.deepEqual(others, [], 'requests to other hosts in the network log');
  });
});
