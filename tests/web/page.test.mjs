// SPDX-License-Identifier: MIT
// Static checks of the page's files and tests of render.js's pure helpers
// and examples.js: no markup from strings anywhere, nothing from other
// hosts, a strict policy, and links only to https.

import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {describe, test} from 'node:test';

import {EXAMPLES} from '../../web/examples.js';
import {formatBytes, formatDuration, safeHttpsUrl} from '../../web/render.js';

const webDir = new URL('../../web/', import.meta.url);
const read = (name) => readFileSync(new URL(name, webDir), 'utf8');
const scripts = readdirSync(webDir).filter((name) => name.endsWith('.js'));

describe('web sources', () => {
  test('no script writes markup or evaluates strings', () => {
    const sinks = /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|srcdoc|setAttribute\(\s*['"]on/;
    for (const name of scripts) {
      assert.doesNotMatch(read(name), sinks, name);
    }
  });
  test('nothing is loaded from another host', () => {
    for (const name of ['index.html', 'style.css', ...scripts]) {
      const text = read(name);
      assert.doesNotMatch(text, /(src|href)=["']?(https?:)?\/\//i, name);
      assert.doesNotMatch(text, /@import|url\(\s*["']?(https?:)?\/\//i, name);
    }
  });
  test('index.html has a strict Content-Security-Policy and no inline code', () => {
    const html = read('index.html');
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)[1];
    const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(' ')]));
    assert.equal(directives.get('default-src'), "'self'");
    assert.equal(directives.get('script-src'), "'self' 'wasm-unsafe-eval'");
    assert.equal(directives.get('style-src'), "'self'");
    assert.equal(directives.get('img-src'), "'self' data:");
    assert.equal(directives.get('object-src'), "'none'");
    assert.equal(directives.get('base-uri'), "'none'");
    assert.equal(directives.get('require-trusted-types-for'), "'script'");
    // One policy, for the service worker's URL only (app.js).
    assert.equal(directives.get('trusted-types'), 'bouncedx-sw bouncedx-engine');
    assert.equal(directives.get('worker-src'), "'self'");
    assert.equal(directives.get('connect-src'),
        "'self' https://cloudflare-dns.com https://dns.google https://dns.quad9.net " +
        'http://127.0.0.1:* http://localhost:*');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'inline script');
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'inline style or handler');
  });
});

test('the service worker caches every file of the site', () => {
  const listed = /const FILES = \[([^\]]+)\]/.exec(read('sw.js'))[1].match(/'([^']+)'/g)
      .map((q) => q.slice(1, -1));
  const expected = ['./', 'index.html', 'style.css', 'icon.svg',
    ...scripts.filter((n) => n !== 'sw.js'), 'gen/bouncedx_wasm.js', 'gen/bouncedx_wasm.wasm'];
  assert.deepEqual([...listed].sort(), [...expected].sort());
});

test('index.html preloads exactly the modules app.js imports, directly or not', () => {
  const preloaded = [...read('index.html').matchAll(/<link rel="modulepreload" href="([^"]+)">/g)]
      .map((m) => m[1]);
  const imported = new Set();
  const visit = (name) => {
    for (const [, target] of read(name).matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'\.\/([^']+)'/gms)) {
      if (!imported.has(target)) {
        imported.add(target);
        visit(target);
      }
    }
  };
  visit('app.js');
  assert.deepEqual([...preloaded].sort(), [...imported].sort());
});

describe('safeHttpsUrl', () => {
  const cases = [
    ['https://check.spamhaus.org/', 'https://check.spamhaus.org/'],
    ['HTTPS://Example.org/a b', 'https://example.org/a%20b'],
    ['http://example.org/', null],
    ['javascript:alert(1)', null],
    [' https://example.org/', null],
    ['https://user:pw@example.org/', null],
    ['data:text/html,<script>', null],
    ['//example.org/', null],
    [42, null],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)}`, () => assert.equal(safeHttpsUrl(input), expected));
  }
});

test('formatBytes', () => {
  assert.equal(formatBytes(1), '1 byte');
  assert.equal(formatBytes(812), '812 bytes');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(40 * 1024 * 1024), '40.0 MiB');
});

test('formatDuration', () => {
  assert.equal(formatDuration(42), '42 s');
  assert.equal(formatDuration(125), '2 min 5 s');
  assert.equal(formatDuration(3900), '1 h 5 min');
  assert.equal(formatDuration(-1), '');
});

describe('examples', () => {
  test('ids are unique and every text is non-empty', () => {
    assert.equal(new Set(EXAMPLES.map((e) => e.id)).size, EXAMPLES.length);
    for (const e of EXAMPLES) assert.ok(e.label && e.text.trim(), e.id);
  });
  test('the blocklist example is the reply from the founding articles', () => {
    assert.equal(EXAMPLES.find((e) => e.id === 'spamhaus').text,
        '554 5.7.1 : Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org');
  });
  test('examples use documentation addresses only', () => {
    for (const e of EXAMPLES) {
      for (const ip of e.text.match(/\b\d+\.\d+\.\d+\.\d+\b/g) || []) {
        assert.match(ip, /^(192\.0\.2|198\.51\.100|203\.0\.113)\./, `${e.id}: ${ip}`);
      }
    }
  });
});
