// SPDX-License-Identifier: MIT
// The report page's features with DNS checks off, in real Chromium: the
// verdict sentence, status codes explained on focus, every example, copying
// as Markdown and text, printing, keyboard-only use, the Received timeline,
// share links (made, opened, and broken on purpose), markup that must never
// run, and an accessibility scan (axe-core) of each main state. Every test
// asserts that nothing was asked of any host but the test server.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';

import {
  launchBrowser, openPage, screenshot, seriousA11yViolations, startServer, waitForResult,
} from './harness.mjs';
import {EXAMPLES} from '../../web/examples.js';

const SPAMHAUS = '554 5.7.1 : Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'],
                                         {origin: server.url});
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function open(options = {}, suffix = '') {
  const origin = server.url.replace(/\/$/, '');
  const {page, foreign, errors} = await openPage(browser.context, `${server.url}?dns=off${suffix}`,
                                                 origin, options);
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  return {
    page,
    errors,
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

async function example(page, label) {
  await page.getByRole('button', {name: label, exact: true}).click();
  await waitForResult(page);
}

async function noA11yProblems(page, state) {
  const serious = await seriousA11yViolations(page);
  assert.deepEqual(serious, [], `accessibility (${state})`);
}

describe('the report', () => {
  test('the verdict comes first, in one sentence with who rejected and the confidence', async () => {
    const {page, done} = await open();
    await noA11yProblems(page, 'empty');
    await example(page, 'Gmail: IP not authorized');
    const first = await page.locator('#report > section').first().getAttribute('data-section');
    assert.equal(first, 'verdict');
    const line = await page.locator('.verdict-line').textContent();
    assert.match(line, /^Rejected by Gmail.* · (high|medium|low) confidence/);
    await noA11yProblems(page, 'verdict');
    await done();
  });

  test('every example loads with one click and gives a verdict', async () => {
    const {page, done} = await open();
    assert.equal(await page.locator('#examples button').count(), EXAMPLES.length);
    for (const e of EXAMPLES) {
      await example(page, e.label);
      assert.equal(await page.inputValue('#input'), e.text, e.id);
      assert.equal(await page.locator('#verdict-title').count(), 1, e.id);
      assert.notEqual((await page.locator('#verdict-title').textContent()).trim(), '', e.id);
    }
    await done();
  });

  test('status codes in the evidence explain themselves on focus', async () => {
    const {page, done} = await open();
    await diagnoseText(page, SPAMHAUS);
    const ref = page.locator('.evidence .code-ref', {hasText: '5.7.1'}).first();
    const meaning = await ref.getAttribute('data-meaning');
    const describedBy = await ref.getAttribute('aria-describedby');
    // The explanation is the report's own words, shown in Status codes too.
    assert.equal(await page.locator(`#${describedBy}`).textContent(), meaning);
    assert.match(meaning, /not authorized/i);
    await ref.focus();
    const tip = await ref.evaluate((n) => getComputedStyle(n, '::after').content);
    assert.equal(tip, JSON.stringify(meaning));
    assert.equal(await page.locator('.evidence-text').textContent(), SPAMHAUS);
    await screenshot(page, 'code-tooltip');
    await done();
  });

  test('the report copies as Markdown and as plain text', async () => {
    const {page, done} = await open();
    await diagnoseText(page, SPAMHAUS);
    await page.click('#copy-markdown');
    await page.waitForFunction(() => document.getElementById('copy-status').textContent !== '');
    const markdown = await page.evaluate(() => navigator.clipboard.readText());
    const title = (await page.locator('#verdict-title').textContent()).trim();
    assert.ok(markdown.startsWith(`## ${title}\n`), markdown.slice(0, 200));
    assert.match(markdown, /\n### What to do\n\n- \[ \] \*\*/);
    assert.match(markdown, /`5\.7\.1`/);
    await page.click('#copy-text');
    await page.waitForFunction(() => /plain text/.test(document.getElementById('copy-status').textContent));
    const text = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(text.startsWith(`Verdict: ${title}\n`), text.slice(0, 200));
    await done();
  });

  test('print shows only the report, with every check detail open', async () => {
    const {page, done} = await open();
    await example(page, 'Full bounce (DSN)');
    await page.emulateMedia({media: 'print'});
    const hidden = await page.evaluate(() => ['.input-card', '.settings', '#toolbar']
        .map((s) => getComputedStyle(document.querySelector(s)).display));
    assert.deepEqual(hidden, ['none', 'none', 'none']);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.verdict')).display),
                 'block');
    await screenshot(page, 'print');
    await page.emulateMedia({media: 'screen'});
    await done();
  });

  test('keyboard only: paste box, diagnose, examples, copy and details', async () => {
    const {page, done} = await open();
    await page.keyboard.press('Tab');  // the skip link
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    await page.keyboard.press('Enter');  // focus jumps to the paste box
    assert.equal(await page.evaluate(() => document.activeElement.id), 'input');
    await page.keyboard.type('550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown');
    await page.keyboard.press('Control+Enter');
    await waitForResult(page);
    assert.match(await page.locator('#announcer').textContent({timeout: 2000}) || '', /^(Verdict: .+)?$/);
    await page.waitForFunction(() => document.getElementById('announcer').textContent.startsWith('Verdict: '));
    // Tab to "Copy as Markdown" and press it.
    let found = false;
    for (let i = 0; i < 80 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement.id === 'copy-markdown');
    }
    assert.ok(found, 'Copy as Markdown is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /Markdown/.test(document.getElementById('copy-status').textContent));
    // The share panel opens with the keyboard and says what it will hold.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'share-open');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /The link is/.test(document.getElementById('share-size').textContent));
    assert.equal(await page.getAttribute('#share-open', 'aria-expanded'), 'true');
    await done();
  });

  test('screen readers hear the verdict through a live region', async () => {
    const {page, done} = await open();
    assert.equal(await page.getAttribute('#announcer', 'aria-live'), 'polite');
    await diagnoseText(page, SPAMHAUS);
    await page.waitForFunction(() => document.getElementById('announcer').textContent !== '');
    const title = (await page.locator('#verdict-title').textContent()).trim();
    assert.ok((await page.locator('#announcer').textContent()).startsWith(`Verdict: ${title}.`));
    await done();
  });

  test('pasted "show original" headers give the Received table and timeline', async (t) => {
    const {page, done} = await open();
    await example(page, 'Show original');
    const hops = await page.locator('.hops tbody tr').count();
    assert.equal(hops, 4, 'four Received hops');
    assert.equal(await page.locator('.hops tr.edge').count(), 1, 'one edge hop');
    assert.equal(await page.locator('svg.timeline .tl-row').count(), hops);
    assert.equal(await page.locator('svg.timeline .tl-edge').count(), 1);
    await screenshot(page, 'headers-timeline');
    await noA11yProblems(page, 'headers');
    await done();
  });

  test('dark mode and a phone-width screen pass the accessibility scan', async () => {
    for (const [name, options] of [['dark', {colorScheme: 'dark'}],
      ['phone', {viewport: {width: 360, height: 780}}]]) {
      const {page, done} = await open(options);
      await example(page, 'Full bounce (DSN)');
      if (name === 'phone') {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 360, `page is ${width}px wide`);
      }
      await screenshot(page, `${name}-report`);
      await noA11yProblems(page, name);
      await done();
    }
  });
});

describe('share links', () => {
  // Makes a link for the report on screen with the panel's options.
  async function makeLink(page, {names = false} = {}) {
    await page.click('#share-open');
    if (names) await page.check('#redact-names');
    await page.waitForFunction(() => document.getElementById('share-url').value.includes('#v1.'));
    await page.click('#share-copy');
    return page.evaluate(() => navigator.clipboard.readText());
  }

  test('a link redacts mailboxes by default, previews it, and restores the same report', async () => {
    const {page, done} = await open();
    await example(page, 'Full bounce (DSN)');
    const link = await makeLink(page, {names: true});
    const fragment = new URL(link).hash;
    assert.match(fragment, /^#v1\.[A-Za-z0-9_-]+$/);
    const preview = await page.locator('#share-preview').textContent();
    assert.doesNotMatch(preview, /bob@example\.org|alice@example\.com/);
    assert.match(preview, /user\d@example\.org/);
    assert.match(preview, /MAILER-DAEMON@mail\.example\.com/, 'role mailboxes stay');
    assert.match(preview, /203\.0\.113\.5/, 'IPs stay');
    const replaced = await page.locator('#share-replacements li').allTextContents();
    assert.ok(replaced.some((t) => /^bob → user\d/.test(t)), JSON.stringify(replaced));
    await screenshot(page, 'share-panel');
    const before = await page.locator('#verdict-title').textContent();
    const fix = await page.locator('.fix .step-text').allTextContents();
    await done();

    const opened = await open({}, fragment);
    await waitForResult(opened.page);
    assert.equal(await opened.page.locator('#verdict-title').textContent(), before);
    assert.deepEqual(await opened.page.locator('.fix .step-text').allTextContents(), fix);
    assert.equal(await opened.page.isVisible('#shared-banner'), true);
    assert.match(await opened.page.locator('#shared-text').textContent(), /mailbox names/);
    assert.equal(await opened.page.inputValue('#input'), preview);
    await opened.done();
  });

  for (const [name, mangle, title] of [
    ['malformed', () => 'v1.@@@not*base64', 'This link is damaged'],
    ['truncated', (f) => f.slice(0, Math.floor(f.length / 2)), 'This link is incomplete'],
    ['oversized', () => `v1.${'A'.repeat(2_000_100)}`, 'This link is too long'],
    ['from a newer version', (f) => f.replace(/^v1\./, 'v9.'), 'This link needs a newer bouncedx'],
  ]) {
    test(`a ${name} link gives a clear message, not a blank page`, async () => {
      const {page, done} = await open();
      await diagnoseText(page, SPAMHAUS);
      const good = new URL(await makeLink(page)).hash.slice(1);
      await done();
      const opened = await open({}, `#${mangle(good)}`);
      await opened.page.waitForSelector('.notice-title');
      assert.equal(await opened.page.locator('.notice-title').textContent(), title);
      assert.notEqual((await opened.page.locator('.notice p').textContent()).trim(), '');
      await opened.done();
    });
  }
});

describe('untrusted text never runs', () => {
  const PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    '"><script>window.__xss=2</script>',
    '<svg onload="window.__xss=3"></svg>',
    'javascript:window.__xss=4',
    '<a href="javascript:window.__xss=5">x</a>',
    '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
    '{{constructor.constructor("window.__xss=7")()}}',
  ];

  async function assertInert(page) {
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    const bad = await page.evaluate(() => {
      const found = [];
      for (const n of document.querySelectorAll('#report *, #share-panel *, #shared-banner *')) {
        if (['IMG', 'SCRIPT', 'IFRAME'].includes(n.tagName)) found.push(n.tagName);
        for (const a of n.attributes) {
          if (/^on/i.test(a.name) || /javascript:/i.test(a.value)) found.push(`${n.tagName} ${a.name}`);
        }
      }
      return found;
    });
    assert.deepEqual(bad, []);
  }

  test('in the bounce text and in header values', async () => {
    const {page, done} = await open();
    for (const payload of PAYLOADS) {
      await diagnoseText(page, `550 5.7.1 ${payload}`);
      await assertInert(page);
      await diagnoseText(page, [
        `From: ${payload} <bob@example.org>`,
        `Subject: ${payload}`,
        `Received: from ${payload} (${payload} [192.0.2.25]) by mx.example.org with ESMTP;`,
        '  Tue, 14 Nov 2023 09:12:44 +0000',
        `Authentication-Results: mx.example.org; spf=fail (${payload}) smtp.mailfrom=example.org`,
        '',
        `550 5.7.1 ${payload}`,
      ].join('\n'));
      await assertInert(page);
    }
    await page.click('#copy-markdown');
    await page.click('#share-open');
    await page.waitForFunction(() => /The link is/.test(document.getElementById('share-size').textContent));
    await assertInert(page);
    await done();
  });

  test('in a share link', async () => {
    const {page, done} = await open();
    await diagnoseText(page, PAYLOADS.map((p) => `550 5.7.1 ${p}`).join('\n'));
    await page.click('#share-open');
    await page.waitForFunction(() => document.getElementById('share-url').value.includes('#v1.'));
    const fragment = new URL(await page.inputValue('#share-url')).hash;
    await done();
    const opened = await open({}, fragment);
    await waitForResult(opened.page);
    await assertInert(opened.page);
    assert.ok((await opened.page.inputValue('#input')).includes(PAYLOADS[0]));
    await opened.done();
  });
});
