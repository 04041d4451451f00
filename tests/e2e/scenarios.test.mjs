// SPDX-License-Identifier: MIT
// The live checks of pasted "show original" headers, one DNS scenario each,
// against the loopback DNS-over-HTTPS stack (tests/zones/README.md): what a
// receiving filter would hold against the sending server, as the page shows
// it. Also the resolver being down: checks end in error, the offline verdict
// stays.

import assert from 'node:assert/strict';
import net from 'node:net';
import {after, before, describe, test} from 'node:test';

import {launchBrowser, openPage, startServer, startStack, waitForResult} from './harness.mjs';

let server;
let browser;
let stack;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  stack = await startStack();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (stack) await stack.stop();
});

// A header block as Gmail-style "show original" shows it: the recipient's
// server received the message from `helo` [`ip`].
function headers({ip, helo, mailfrom, from, dkim = '', auth = ''}) {
  return [
    'Delivered-To: erin@recipient.example',
    `Received: from ${helo} (${helo} [${ip}])`,
    '        by mx.recipient.example (Postfix) with ESMTPS id 4SVZ2B0xyz',
    '        for <erin@recipient.example>; Tue, 14 Nov 2023 17:12:47 +0000 (UTC)',
    ...(auth ? [`Authentication-Results: mx.recipient.example; ${auth}`] : []),
    `Return-Path: <alice@${mailfrom}>`,
    ...(dkim ? [`DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${dkim.d}; s=${dkim.s};`,
      '        h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=abc123'] : []),
    `From: Alice <alice@${from}>`,
    'To: Erin <erin@recipient.example>',
    'Subject: Hello',
    'Date: Tue, 14 Nov 2023 17:12:30 +0000',
    '',
  ].join('\n');
}

// A loopback port nothing listens on: bound, read, released.
async function closedPort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const {port} = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function diagnoseWith(resolverUrl, text, {resolverDown = false} = {}) {
  const origin = server.url.replace(/\/$/, '');
  const url = `${server.url}?resolver=${encodeURIComponent(resolverUrl)}`;
  const {page, foreign, errors} = await openPage(browser.context, url, origin);
  await page.fill('#input', text);
  await page.click('#diagnose');
  await waitForResult(page);
  await page.waitForFunction(() => document.querySelectorAll('.check.state-pending').length === 0,
                             null, {timeout: 60000});
  const checks = await page.$$eval('.check', (items) => items.map((li) => ({
    id: li.getAttribute('data-check'),
    state: li.getAttribute('data-state'),
    text: li.textContent,
  })));
  const resolver = new URL(resolverUrl).origin;
  assert.deepEqual(foreign.filter((u) => !u.startsWith(resolver)), [], 'requests elsewhere');
  // With the resolver down, the browser logs each refused fetch; nothing else
  // may go wrong.
  const unexpected = resolverDown ?
    errors.filter((e) => !/Failed to load resource: net::ERR_CONNECTION_REFUSED/.test(e)) : errors;
  assert.deepEqual(unexpected, [], 'page errors');
  return {page, checks};
}

function check(checks, id) {
  const found = checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} check among ${checks.map((c) => c.id).join(', ')}`);
  return found;
}

describe('live checks of pasted headers', () => {
  test('the edge server is found and its PTR is not forward-confirmed', async () => {
    const {page, checks} = await diagnoseWith(stack.dohUrl, headers(
        {ip: '203.0.113.6', helo: 'mail.mismatch.example', mailfrom: 'mismatch.example',
          from: 'mismatch.example'}));
    assert.equal(check(checks, 'ptr').state, 'pass');
    const fcrdns = check(checks, 'fcrdns');
    assert.equal(fcrdns.state, 'fail');
    assert.match(fcrdns.text, /mail\.mismatch\.example does not resolve back to 203\.0\.113\.6/);
    assert.equal(await page.locator('.hops tr.edge').count(), 1);
    await page.close();
  });

  test('a HELO name without A, AAAA or MX fails', async () => {
    const {page, checks} = await diagnoseWith(stack.dohUrl, headers(
        {ip: '192.0.2.10', helo: 'nohost.example', mailfrom: 'good.example', from: 'good.example'}));
    const helo = check(checks, 'helo');
    assert.equal(helo.state, 'fail');
    assert.match(helo.text, /nohost\.example has no A, AAAA or MX record/);
    await page.close();
  });

  test('an address on the fixture blocklists fails those lists', async () => {
    const {page, checks} = await diagnoseWith(stack.dohUrl, headers(
        {ip: '198.51.100.77', helo: 'mx.listed.example', mailfrom: 'listed.example',
          from: 'listed.example'}));
    const zen = check(checks, 'dnsbl:zen.spamhaus.org');
    assert.equal(zen.state, 'fail');
    assert.match(zen.text, /198\.51\.100\.77 is listed on/);
    assert.equal(check(checks, 'dnsbl:bl.spamcop.net').state, 'fail');
    await page.close();
  });

  test('a public-resolver refusal answer is "could not check", never "listed"', async () => {
    const {page, checks} = await diagnoseWith(stack.dohUrl, headers(
        {ip: '198.51.100.99', helo: 'mx.refused.example', mailfrom: 'refused.example',
          from: 'refused.example'}));
    const zen = check(checks, 'dnsbl:zen.spamhaus.org');
    assert.equal(zen.state, 'error');
    assert.match(zen.text, /refused the query/);
    await page.close();
  });

  test('SPF fails and names the mechanism that decided', async () => {
    const {page, checks} = await diagnoseWith(stack.dohUrl, headers(
        {ip: '203.0.113.5', helo: 'mail.spf-fail.example', mailfrom: 'spf-fail.example',
          from: 'spf-fail.example'}));
    const spf = check(checks, 'spf');
    assert.equal(spf.state, 'fail');
    assert.match(spf.text, /SPF fails: spf-fail\.example does not authorise 203\.0\.113\.5 \(decided by -all\)/);
    await page.close();
  });

  test('DMARC p=reject with nothing aligned fails', async () => {
    const {page, checks} = await diagnoseWith(stack.dohUrl, headers(
        {ip: '203.0.113.5', helo: 'mail.strict.example', mailfrom: 'bounce.strict.example',
          from: 'strict.example',
          auth: 'spf=fail smtp.mailfrom=alice@bounce.strict.example; dkim=none'}));
    const dmarc = check(checks, 'dmarc');
    assert.equal(dmarc.state, 'fail');
    assert.match(dmarc.text, /p=reject/);
    await page.close();
  });

  test('a DKIM key that is not published fails', async () => {
    const {page, checks} = await diagnoseWith(stack.dohUrl, headers(
        {ip: '192.0.2.10', helo: 'mail.good.example', mailfrom: 'good.example', from: 'good.example',
          dkim: {d: 'good.example', s: 'missing'}}));
    const dkim = check(checks, 'dkim');
    assert.equal(dkim.state, 'fail');
    assert.match(dkim.text, /missing\._domainkey\.good\.example/);
    await page.close();
  });

  test('resolver down: every check ends in error and the verdict stays', async () => {
    // Every fetch is refused at once.
    const port = await closedPort();
    const {page, checks} = await diagnoseWith(`http://127.0.0.1:${port}/dns-query`, headers(
        {ip: '203.0.113.6', helo: 'mail.mismatch.example', mailfrom: 'mismatch.example',
          from: 'mismatch.example'}), {resolverDown: true});
    assert.ok(checks.length > 0);
    for (const c of checks) assert.equal(c.state, 'error', `${c.id}: ${c.text}`);
    assert.match(await page.locator('#report [data-section="verdict"]').textContent(),
                 /These are the headers of a message, not a bounce/);
    await page.close();
  });
});
