// SPDX-License-Identifier: MIT
// Unit tests of web/doh.js: encoding, URLs, endpoint checks and the request
// queue, driven by fake fetch functions (no network).

import assert from 'node:assert/strict';
import {describe, test} from 'node:test';

import {
  base64UrlDecode, base64UrlEncode, buildQueryUrl, checkEndpoint, createDohSession,
} from '../../web/doh.js';

// RFC 8484 §4.1.1: the query for www.example.com A with ID 0, and its
// base64url form as printed in the RFC.
const WWW_EXAMPLE_COM_A = Uint8Array.from([
  0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // header, RD
  0x03, 0x77, 0x77, 0x77,                                                  // "www"
  0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,                          // "example"
  0x03, 0x63, 0x6f, 0x6d, 0x00,                                            // "com", root
  0x00, 0x01, 0x00, 0x01,                                                  // A, IN
]);
const WWW_EXAMPLE_COM_A_B64 = 'AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB';

describe('base64url', () => {
  test('encodes the RFC 8484 example query', () => {
    assert.equal(base64UrlEncode(WWW_EXAMPLE_COM_A), WWW_EXAMPLE_COM_A_B64);
  });
  test('decodes the RFC 8484 example query', () => {
    assert.deepEqual(base64UrlDecode(WWW_EXAMPLE_COM_A_B64), WWW_EXAMPLE_COM_A);
  });
  test('uses - and _ and no padding', () => {
    const cases = [
      {bytes: [], text: ''},
      {bytes: [0xfb], text: '-w'},
      {bytes: [0xff, 0xff], text: '__8'},
      {bytes: [0xfb, 0xef, 0xbe], text: '----'},
      {bytes: [0x66, 0x6f, 0x6f, 0x62], text: 'Zm9vYg'},
    ];
    for (const {bytes, text} of cases) {
      assert.equal(base64UrlEncode(Uint8Array.from(bytes)), text, `encode ${bytes}`);
      assert.deepEqual(base64UrlDecode(text), Uint8Array.from(bytes), `decode ${text}`);
    }
  });
  test('rejects characters outside the alphabet and impossible lengths', () => {
    assert.equal(base64UrlDecode('ab+c'), null);
    assert.equal(base64UrlDecode('ab/c'), null);
    assert.equal(base64UrlDecode('abcde'), null);
  });
});

describe('buildQueryUrl', () => {
  test('appends the dns parameter', () => {
    assert.equal(buildQueryUrl('https://cloudflare-dns.com/dns-query', 'AAAB'),
                 'https://cloudflare-dns.com/dns-query?dns=AAAB');
  });
  test('keeps a query the endpoint already has', () => {
    assert.equal(buildQueryUrl('http://127.0.0.1:8053/dns-query?ct=x', 'AA-_'),
                 'http://127.0.0.1:8053/dns-query?ct=x&dns=AA-_');
  });
});

describe('checkEndpoint', () => {
  const cases = [
    {name: 'https', text: 'https://dns.google/dns-query', ok: true, url: 'https://dns.google/dns-query'},
    {name: 'trims and drops the fragment', text: ' https://dns.quad9.net/dns-query#x ', ok: true,
     url: 'https://dns.quad9.net/dns-query'},
    {name: 'http on 127.0.0.1', text: 'http://127.0.0.1:5380/dns-query', ok: true,
     url: 'http://127.0.0.1:5380/dns-query'},
    {name: 'http on localhost', text: 'http://localhost:5380/dns-query', ok: true,
     url: 'http://localhost:5380/dns-query'},
    {name: 'http elsewhere', text: 'http://resolver.example/dns-query', ok: false,
     reason: 'resolver: must start with https://'},
    {name: 'javascript', text: 'javascript:alert(1)', ok: false,
     reason: 'resolver: must start with https://'},
    {name: 'credentials', text: 'https://u:p@resolver.example/dns-query', ok: false,
     reason: 'resolver: user names and passwords in the URL are not supported'},
    {name: 'own dns parameter', text: 'https://resolver.example/dns-query?dns=AAAA', ok: false,
     reason: 'resolver: the URL must not carry its own dns parameter'},
    {name: 'not a URL', text: 'dns.google', ok: false, reason: 'resolver: not a URL'},
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = checkEndpoint(c.text);
      if (c.ok) assert.deepEqual(result, {ok: true, url: c.url});
      else assert.deepEqual(result, {ok: false, reason: c.reason});
    });
  }
});

// --- the session, with fake fetch functions ---------------------------------

const ENDPOINT = 'http://127.0.0.1:9/dns-query';
const ANSWER = new Uint8Array(12).fill(7);

function dnsResponse(bytes = ANSWER, {status = 200, type = 'application/dns-message'} = {}) {
  return new Response(bytes, {status, headers: {'content-type': type}});
}

// A fetch that never answers until aborted, like a resolver that is down.
function hangingFetch(calls) {
  return (url, init) => new Promise((resolve, reject) => {
    calls.push(url);
    init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });
}

const FAST = {timeoutMs: 50, retryDelayMs: 1, deadlineMs: 2000};

describe('createDohSession', () => {
  test('sends a GET with the Accept header and returns the bytes', async () => {
    const seen = [];
    const session = createDohSession({
      endpoint: ENDPOINT,
      fetchFn: async (url, init) => {
        seen.push({url, init});
        return dnsResponse();
      },
    });
    const outcome = await session.query('AAAB');
    session.finish();
    assert.deepEqual(outcome, {ok: true, bytes: ANSWER});
    assert.equal(seen.length, 1);
    assert.equal(seen[0].url, `${ENDPOINT}?dns=AAAB`);
    assert.equal(seen[0].init.method, 'GET');
    assert.deepEqual(seen[0].init.headers, {Accept: 'application/dns-message'});
    assert.equal(seen[0].init.credentials, 'omit');
  });

  test('never runs more requests at once than the concurrency limit', async () => {
    let inFlight = 0;
    let most = 0;
    const session = createDohSession({
      endpoint: ENDPOINT,
      limits: {concurrency: 3},
      fetchFn: async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return dnsResponse();
      },
    });
    const outcomes = await Promise.all(Array.from({length: 10}, (_, i) => session.query(`Q${i}`)));
    session.finish();
    assert.equal(most, 3);
    assert.equal(outcomes.filter((o) => o.ok).length, 10);
  });

  test('retries once after a timeout, then reports the timeout', async () => {
    const calls = [];
    const session = createDohSession({endpoint: ENDPOINT, fetchFn: hangingFetch(calls), limits: FAST});
    const outcome = await session.query('AAAB');
    session.finish();
    assert.equal(calls.length, 2);
    assert.deepEqual(outcome, {ok: false, kind: 'timeout',
                               detail: 'doh: 127.0.0.1:9 did not answer within 50 ms (2 tries)'});
  });

  test('retries a 503 and succeeds on the second try', async () => {
    let calls = 0;
    const session = createDohSession({
      endpoint: ENDPOINT, limits: FAST,
      fetchFn: async () => (++calls === 1 ? dnsResponse(new Uint8Array(0), {status: 503}) : dnsResponse()),
    });
    const outcome = await session.query('AAAB');
    session.finish();
    assert.equal(calls, 2);
    assert.equal(outcome.ok, true);
  });

  test('does not retry a 400 and names the status', async () => {
    let calls = 0;
    const session = createDohSession({
      endpoint: ENDPOINT, limits: FAST,
      fetchFn: async () => {
        calls++;
        return dnsResponse(new Uint8Array(0), {status: 400});
      },
    });
    const outcome = await session.query('AAAB');
    session.finish();
    assert.equal(calls, 1);
    assert.deepEqual(outcome, {ok: false, kind: 'http_status',
                               detail: 'doh: 127.0.0.1:9 answered HTTP 400'});
  });

  test('refuses a response that is not application/dns-message', async () => {
    const session = createDohSession({
      endpoint: ENDPOINT, limits: FAST,
      fetchFn: async () => dnsResponse(ANSWER, {type: 'text/html'}),
    });
    const outcome = await session.query('AAAB');
    session.finish();
    assert.deepEqual(outcome, {ok: false, kind: 'bad_response',
                               detail: 'doh: 127.0.0.1:9 sent text/html, not application/dns-message'});
  });

  test('refuses a body too short to be a DNS message', async () => {
    const session = createDohSession({
      endpoint: ENDPOINT, limits: FAST, fetchFn: async () => dnsResponse(new Uint8Array(5)),
    });
    const outcome = await session.query('AAAB');
    session.finish();
    assert.deepEqual(outcome, {ok: false, kind: 'bad_response',
                               detail: 'doh: 127.0.0.1:9 sent 5 bytes, not a DNS message'});
  });

  test('reports a network error after one retry', async () => {
    let calls = 0;
    const session = createDohSession({
      endpoint: ENDPOINT, limits: FAST,
      fetchFn: async () => {
        calls++;
        throw new TypeError('Failed to fetch');
      },
    });
    const outcome = await session.query('AAAB');
    session.finish();
    assert.equal(calls, 2);
    assert.equal(outcome.kind, 'network');
  });

  test('cancel settles open and queued queries as cancelled', async () => {
    const calls = [];
    const session = createDohSession({
      endpoint: ENDPOINT, fetchFn: hangingFetch(calls),
      limits: {concurrency: 1, timeoutMs: 10000, deadlineMs: 10000},
    });
    const first = session.query('A');
    const second = session.query('B');
    await new Promise((r) => setTimeout(r, 5));
    session.cancel();
    assert.deepEqual(await first, {ok: false, kind: 'cancelled', detail: 'doh: checks cancelled'});
    assert.deepEqual(await second, {ok: false, kind: 'cancelled', detail: 'doh: checks cancelled'});
    assert.equal(calls.length, 1);  // the queued one never started
    assert.deepEqual(await session.query('C'),
                     {ok: false, kind: 'cancelled', detail: 'doh: checks cancelled'});
  });

  test('the overall deadline settles everything as a timeout', async () => {
    const calls = [];
    const session = createDohSession({
      endpoint: ENDPOINT, fetchFn: hangingFetch(calls),
      limits: {concurrency: 2, timeoutMs: 10000, deadlineMs: 40},
    });
    const outcomes = await Promise.all(['A', 'B', 'C'].map((q) => session.query(q)));
    for (const outcome of outcomes) {
      assert.deepEqual(outcome, {ok: false, kind: 'timeout', detail: 'doh: checks stopped after 40 ms'});
    }
    assert.equal(session.active, 0);
  });
});
