// SPDX-License-Identifier: MIT
// The native CLI against the loopback DNS stack (scripts/dns-stack): its
// live checks over plain DNS with --dns, for the scenarios of
// tests/zones/README.md. Run: node --test tests/dnsstack/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'build/native/bouncedx');
const stackScript = path.join(root, 'scripts/dns-stack');
let stack = null;

function parseEnv(text) {
  const env = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

function diagnose(input, dnsAddr) {
  const run = spawnSync(cli, ['--json', '--dns', dnsAddr], { input, encoding: 'utf8', timeout: 60000 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim());
}

function check(report, id) {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `no check ${id} in ${JSON.stringify(report.checks.map((c) => c.id))}`);
  return found;
}

before(() => {
  assert.ok(fs.existsSync(cli), 'build the CLI first: scripts/build native');
  stack = parseEnv(execFileSync(stackScript, ['start'], { encoding: 'utf8', timeout: 60000 }));
  assert.ok(stack.DNS_ADDR && stack.STACK_DIR, 'the DNS stack did not start');
});

after(() => {
  if (stack) execFileSync(stackScript, ['stop', '--dir', stack.STACK_DIR], { timeout: 30000 });
});

test('missing PTR refines a filter rejection to "no reverse DNS"', () => {
  const report = diagnose('554 5.7.1 [203.0.113.5] Delivery not authorized\n', stack.DNS_ADDR);
  assert.equal(check(report, 'ptr').state, 'fail');
  assert.equal(report.verdict.cause_id, 'ptr_missing');
  assert.equal(report.verdict.basis, 'dns');
  assert.match(report.fix.map((s) => s.text).join('\n'), /203\.0\.113\.5/);
});

test('PTR that does not resolve back is not forward-confirmed', () => {
  const report = diagnose('554 5.7.1 [203.0.113.6] Delivery not authorized\n', stack.DNS_ADDR);
  assert.equal(check(report, 'ptr').state, 'pass');
  const fcrdns = check(report, 'fcrdns');
  assert.equal(fcrdns.state, 'fail');
  assert.match(fcrdns.summary, /mail\.mismatch\.example does not resolve back to 203\.0\.113\.6/);
  assert.equal(report.verdict.cause_id, 'ptr_not_fcrdns');
});

test('an address listed on the fixture blocklists fails those checks', () => {
  const report = diagnose(
    '554 5.7.1 Service unavailable; Client host [198.51.100.77] blocked using zen.spamhaus.org\n',
    stack.DNS_ADDR);
  const zen = check(report, 'dnsbl:zen.spamhaus.org');
  assert.equal(zen.state, 'fail');
  assert.match(zen.summary, /198\.51\.100\.77 is listed on/);
  assert.equal(check(report, 'dnsbl:bl.spamcop.net').state, 'fail');
  assert.equal(report.verdict.cause_class, 'ip_blocked');
});

test('a public-resolver refusal answer is an error, never a listing', () => {
  const report = diagnose('554 5.7.1 [198.51.100.99] Delivery not authorized\n', stack.DNS_ADDR);
  const zen = check(report, 'dnsbl:zen.spamhaus.org');
  assert.equal(zen.state, 'error');
  assert.match(zen.summary, /refused the query \(127\.255\.255\.254/);
  assert.equal(check(report, 'dnsbl:bl.spamcop.net').state, 'pass');
});

test('lists the fixture stack does not serve end in error, not pass', () => {
  const report = diagnose('554 5.7.1 [192.0.2.10] Delivery not authorized\n', stack.DNS_ADDR);
  const psbl = check(report, 'dnsbl:psbl.surriel.com');
  assert.equal(psbl.state, 'error');
  assert.equal(check(report, 'fcrdns').state, 'pass');
  assert.equal(report.verdict.cause_id, 'connection_not_authorized');
});

test('resolver down: every check ends in error and the offline verdict stays', () => {
  // A port nothing listens on: the stack's own NSD port after stopping is
  // not guaranteed free, so use port 9 (discard), closed on loopback.
  const run = spawnSync(cli, ['--json', '--dns', '127.0.0.1:9'], {
    input: '554 5.7.1 [203.0.113.5] Delivery not authorized\n', encoding: 'utf8', timeout: 120000,
  });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout.trim());
  assert.ok(report.checks.length > 0);
  for (const c of report.checks) assert.equal(c.state, 'error', `${c.id}: ${c.summary}`);
  assert.equal(report.verdict.cause_id, 'connection_not_authorized');
});

test('--dns takes an IPv6 server ([::1]:PORT) and gives the same verdict', (t) => {
  if (!stack.NSD_ADDR6) {
    t.skip('this machine has no IPv6 loopback (::1)');
    return;
  }
  const report = diagnose('554 5.7.1 [203.0.113.6] Delivery not authorized\n', stack.NSD_ADDR6);
  assert.equal(check(report, 'ptr').state, 'pass');
  assert.equal(check(report, 'fcrdns').state, 'fail');
  assert.equal(report.verdict.cause_id, 'ptr_not_fcrdns');
});
