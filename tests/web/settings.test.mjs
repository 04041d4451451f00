// SPDX-License-Identifier: MIT
// Unit tests of web/settings.js: stored settings, URL overrides, and the
// Content-Security-Policy matcher, checked against the policy in
// web/index.html itself.

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';

import {
  DEFAULT_RESOLVER, cleanDqsKey, cspAllowsUrl, cspConnectSources, readSettings, saveSettings,
} from '../../web/settings.js';

class MemoryStorage {
  constructor(entries = {}) {
    this.map = new Map(Object.entries(entries));
  }
  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }
  setItem(key, value) {
    this.map.set(key, String(value));
  }
  removeItem(key) {
    this.map.delete(key);
  }
}

const PAGE = 'http://127.0.0.1:8000/';
const html = readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8');
const PAGE_POLICY = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)[1];

describe('readSettings', () => {
  test('defaults: checks on, Cloudflare, no key', () => {
    assert.deepEqual(readSettings(new MemoryStorage(), ''), {
      dnsChecks: true, resolver: DEFAULT_RESOLVER, dqsKey: '', overrides: [], problems: [],
    });
  });
  test('works without storage', () => {
    assert.equal(readSettings(null, '').resolver, 'https://cloudflare-dns.com/dns-query');
  });
  test('reads what saveSettings stored', () => {
    const storage = new MemoryStorage();
    saveSettings(storage, {dnsChecks: false, resolver: 'https://dns.google/dns-query',
                           dqsKey: 'abcdefghijklmnopqrstuvwxyz'});
    assert.deepEqual(readSettings(storage, ''), {
      dnsChecks: false, resolver: 'https://dns.google/dns-query',
      dqsKey: 'abcdefghijklmnopqrstuvwxyz', overrides: [], problems: [],
    });
  });
  test('the default resolver is not stored', () => {
    const storage = new MemoryStorage();
    saveSettings(storage, {dnsChecks: true, resolver: DEFAULT_RESOLVER, dqsKey: ''});
    assert.equal(storage.map.size, 0);
  });
  test('?dns=off and ?resolver= override without being saved', () => {
    const storage = new MemoryStorage({'bouncedx.resolver': 'https://dns.google/dns-query'});
    const settings = readSettings(storage, '?dns=off&resolver=http%3A%2F%2F127.0.0.1%3A5380%2Fdns-query');
    assert.equal(settings.dnsChecks, false);
    assert.equal(settings.resolver, 'http://127.0.0.1:5380/dns-query');
    assert.deepEqual(settings.overrides, ['dns', 'resolver']);
    assert.equal(storage.getItem('bouncedx.resolver'), 'https://dns.google/dns-query');
  });
  test('a bad ?resolver= is ignored and said', () => {
    const settings = readSettings(new MemoryStorage(), '?resolver=http://evil.example/q');
    assert.equal(settings.resolver, DEFAULT_RESOLVER);
    assert.deepEqual(settings.problems,
        ['resolver: must start with https://; using https://cloudflare-dns.com/dns-query']);
  });
  test('a stored resolver that is not https is ignored', () => {
    const storage = new MemoryStorage({'bouncedx.resolver': 'javascript:alert(1)'});
    assert.equal(readSettings(storage, '').resolver, DEFAULT_RESOLVER);
  });
});

test('cleanDqsKey keeps only letters and digits', () => {
  assert.equal(cleanDqsKey(' ABCDEFGHIJKLMNOPQRSTUVWXYZ '), 'abcdefghijklmnopqrstuvwxyz');
  assert.equal(cleanDqsKey('abc.def.example.com'), '');
  assert.equal(cleanDqsKey('short'), '');
  assert.equal(cleanDqsKey(null), '');
});

describe('cspAllowsUrl', () => {
  test('finds connect-src, else default-src', () => {
    assert.deepEqual(cspConnectSources("default-src 'self'; connect-src 'self' https:"),
                     ["'self'", 'https:']);
    assert.deepEqual(cspConnectSources("default-src 'none'"), ["'none'"]);
    assert.equal(cspConnectSources('img-src data:'), null);
  });
  const cases = [
    {url: 'http://127.0.0.1:8000/gen/bouncedx_wasm.wasm', allowed: true, why: 'self'},
    {url: 'https://cloudflare-dns.com/dns-query?dns=AAAB', allowed: true, why: 'Cloudflare'},
    {url: 'https://dns.google/dns-query', allowed: true, why: 'Google'},
    {url: 'https://dns.quad9.net/dns-query', allowed: true, why: 'Quad9'},
    {url: 'http://127.0.0.1:5380/dns-query', allowed: true, why: 'loopback, any port'},
    {url: 'http://localhost:5380/dns-query', allowed: true, why: 'localhost, any port'},
    {url: 'https://resolver.example/dns-query', allowed: false, why: 'other host'},
    {url: 'https://dns.google.evil.example/dns-query', allowed: false, why: 'suffix trick'},
    {url: 'http://dns.google/dns-query', allowed: false, why: 'http to a listed host'},
    {url: 'https://127.0.0.1:5380/dns-query', allowed: false, why: 'https to loopback is not listed'},
  ];
  for (const c of cases) {
    test(`page policy: ${c.why}`, () => {
      assert.equal(cspAllowsUrl(PAGE_POLICY, PAGE, c.url), c.allowed);
    });
  }
  test('wildcard hosts, ports and scheme sources', () => {
    const policy = "connect-src *.example.net:8443 https:";
    assert.equal(cspAllowsUrl(policy, PAGE, 'https://a.example.net:8443/'), true);
    assert.equal(cspAllowsUrl(policy, PAGE, 'http://a.example.net:8443/'), true);
    assert.equal(cspAllowsUrl(policy, PAGE, 'http://a.example.net/'), false);
    assert.equal(cspAllowsUrl(policy, PAGE, 'https://anything.test/'), true);
  });
});
