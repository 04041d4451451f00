// SPDX-License-Identifier: MIT
// The bouncedx page in real headless Chromium, with DNS checks off: these
// tests never contact any resolver, and each one asserts that the page asked
// nothing of any host but the local test server.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';

import {launchBrowser, openPage, screenshot, startServer, waitForResult} from './harness.mjs';

const SPAMHAUS = '554 5.7.1 : Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org';
const XSS = '550 5.7.1 <img src=x onerror="window.__xss=1">';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// Opens the page with DNS checks off and returns {page, done}; done()
// asserts that no request left the test server and nothing logged an error
// (a Content-Security-Policy violation logs one), then closes the page.
async function open(options = {}) {
  const origin = server.url.replace(/\/$/, '');
  const {page, foreign, errors} = await openPage(browser.context, `${server.url}?dns=off`,
                                                 origin, options);
  return {
    page,
    async done() {
      assert.deepEqual(foreign, [], 'requests to other hosts');
      assert.deepEqual(errors, [], 'page errors');
      await page.close();
    },
  };
}

async function diagnoseText(page, text) {
  await page.fill('#input', text);
  await page.click('#diagnose');
  await waitForResult(page);
}

async function texts(page, selector) {
  return page.locator(selector).allTextContents();
}

// The text of the one element `selector` finds in a settled page; fails
// fast when it is missing.
async function textOf(page, selector) {
  return page.locator(selector).textContent({timeout: 2000});
}

describe('bouncedx page', () => {
  test('the empty page shows the paste box, examples and settings', async () => {
    const {page, done} = await open();
    assert.equal(await page.locator('h1').textContent(), 'Paste the bounce');
    assert.ok((await texts(page, '#examples button')).includes('Blocklisted IP'));
    assert.equal(await page.locator('#settings-summary').textContent(), 'DNS checks off');
    await screenshot(page, 'empty');
    await done();
  });

  test('a pasted Spamhaus reply gives the blocklist verdict, fix steps and evidence', async () => {
    const {page, done} = await open();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'],
                                           {origin: server.url});
    await page.evaluate((text) => navigator.clipboard.writeText(text), SPAMHAUS);
    await page.focus('#input');
    await page.keyboard.press('Control+V');
    await waitForResult(page);  // the paste alone started the diagnosis
    assert.equal(await page.inputValue('#input'), SPAMHAUS);

    assert.match(await textOf(page, '#verdict-title'), /public blocklist/i);
    assert.match(await textOf(page, '.verdict .basis'), /cause dnsbl_public$/);
    assert.equal(await textOf(page, '.verdict .cause-class'), 'ip blocked');
    assert.match(await textOf(page, '.verdict .severity'), /Permanent failure/);

    const steps = page.locator('.fix .steps > li');
    assert.ok(await steps.count() >= 1, 'at least one fix step');
    for (const who of await texts(page, '.fix .steps > li .who')) {
      assert.notEqual(who.trim(), '', 'every step says who acts');
    }
    assert.equal(await page.locator('.fix .steps > li .who').count(), await steps.count());

    const marks = await texts(page, '.evidence mark');
    assert.ok(marks.some((m) => m.includes('blocked using zen.spamhaus.org')),
              `marks: ${JSON.stringify(marks)}`);
    await screenshot(page, 'verdict');
    await done();
  });

  test('the Gmail multi-line example names Gmail as the provider', async () => {
    const {page, done} = await open();
    await page.getByRole('button', {name: 'Gmail: IP not authorized'}).click();
    await waitForResult(page);
    assert.match(await textOf(page, '.verdict .fact-provider dd'), /Gmail/);
    await done();
  });

  test('an empty input says there is nothing to diagnose', async () => {
    const {page, done} = await open();
    await page.click('#diagnose');
    await waitForResult(page);
    assert.equal(await page.locator('.notice-title').textContent(), 'Nothing to diagnose yet');
    assert.equal(await page.locator('[data-section="verdict"]').count(), 0);
    await done();
  });

  test('a dropped binary file is refused with a clear message', async () => {
    const {page, done} = await open();
    await page.evaluate(() => {
      const bytes = new Uint8Array(4096);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) % 256;  // NULs and controls
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'attachment.bin', {type: 'application/octet-stream'}));
      document.getElementById('input').dispatchEvent(
          new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    });
    await waitForResult(page);
    assert.equal(await page.locator('.notice-title').textContent(), 'This is not text');
    assert.match(await page.locator('.notice p').textContent(), /4\.0 KiB/);
    assert.match(await page.locator('#file-chip').textContent(), /attachment\.bin · 4\.0 KiB/);
    await done();
  });

  test('pasted text with NUL bytes is refused as binary', async () => {
    const {page, done} = await open();
    await diagnoseText(page, 'MZ\u0000\u0000\u0003\u0000 550 5.7.1 \u0000\u0001\u0002');
    assert.equal(await page.locator('.notice-title').textContent(), 'This is not text');
    await done();
  });

  test('a 40 MiB paste is refused by size and the page stays responsive', async () => {
    const {page, done} = await open();
    await page.evaluate(() => {
      const box = document.getElementById('input');
      box.value = 'x'.repeat(40 * 1024 * 1024);
      document.getElementById('diagnose').click();
    });
    await waitForResult(page);
    assert.equal(await page.locator('.notice-title').textContent(), 'The input is too large');
    assert.equal(await page.inputValue('#input'), '', 'the unusable text left the box');
    assert.match(await page.locator('.notice p').textContent(),
                 /at least 40\.0 MiB; bouncedx reads at most 32\.0 MiB/);
    const started = Date.now();
    await page.evaluate(() => 1 + 1);
    assert.ok(Date.now() - started < 2000, 'the page answers at once');
    // Still usable: an example replaces the huge text and is diagnosed.
    await page.getByRole('button', {name: 'Blocklisted IP'}).click();
    await waitForResult(page);
    assert.equal(await page.locator('[data-section="verdict"]').count(), 1);
    await done();
  });

  test('the engine works in a worker: the page keeps running during a 20 MiB diagnosis', async () => {
    const {page, done} = await open();
    const result = await page.evaluate(async () => {
      const {loadEngine, runDiagnosis} = await import('./engine.js');
      await loadEngine();  // count only the diagnosis, not the module's load
      const line = 'Received: from relay.example.net (relay.example.net [192.0.2.7]) by mx.example.org\n';
      const text = '554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using ' +
          'zen.spamhaus.org\n' + line.repeat(Math.ceil(20 * 1024 * 1024 / line.length));
      const bytes = new TextEncoder().encode(text);
      let ticks = 0;
      let ticking = true;
      const tick = () => {
        ticks++;
        if (ticking) setTimeout(tick, 0);
      };
      setTimeout(tick, 0);
      let first = null;
      await runDiagnosis(bytes, {now_unix: 1700000000, dns_checks: false}, {
        lookup: null,
        onReport(report) {
          if (!first) first = {ticks, bytes: report.input_bytes, cause: report.verdict.cause_id};
        },
      });
      ticking = false;
      return {first, size: bytes.length};
    });
    assert.equal(result.first.bytes, result.size);
    assert.equal(result.first.cause, 'dnsbl_public');
    // The main thread ran timers while the worker read 20 MiB; an engine on
    // the page itself would have blocked them all until the first report.
    assert.ok(result.first.ticks >= 3, `${result.first.ticks} timer ticks during the diagnosis`);
    await done();
  });

  test('markup in a bounce is shown as text and never runs', async () => {
    const {page, done} = await open();
    await diagnoseText(page, XSS);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('#report img').count(), 0);
    const evidence = await page.locator('.evidence-text').textContent();
    assert.equal(evidence, XSS);
    await done();
  });

  test('dark mode', async () => {
    const {page, done} = await open({colorScheme: 'dark'});
    await diagnoseText(page, SPAMHAUS);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(14, 17, 22)');
    await screenshot(page, 'dark');
    await done();
  });

  test('a phone-width screen shows everything without sideways scrolling', async () => {
    const {page, done} = await open({viewport: {width: 360, height: 780}});
    await page.getByRole('button', {name: 'Full bounce (DSN)'}).click();
    await waitForResult(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 360, `page is ${overflow}px wide`);
    await screenshot(page, 'phone');
    await done();
  });
});
