// SPDX-License-Identifier: MIT
// Unit tests of web/share.js: share links round-trip, and every broken link
// gives a message for people instead of an exception.

import assert from 'node:assert/strict';
import {describe, test} from 'node:test';

import {base64UrlEncode} from '../../web/doh.js';
import {
  SHARE_LIMITS, checkPayload, decodeShare, encodeShare, looksLikeShare, recordingLookup,
  replayLookup,
} from '../../web/share.js';

const PAYLOAD = {
  input: '550 5.1.1 <user1@example.org>: unknown ✉',
  now_unix: 1700000000,
  dns_checks: true,
  redaction: {local_parts: true, display_names: false, subjects: false, message_ids: false},
  snapshot: {at: 1700000000, resolver: 'cloudflare-dns.com', answers: [
    {name: 'example.org', type: 15, ok: true, dns: base64UrlEncode(new Uint8Array(12).fill(1))},
    {name: '5.113.0.203.zen.spamhaus.org', type: 1, ok: false, kind: 'timeout', detail: 'doh: slow'},
  ]},
};

async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('share links', () => {
  test('round-trip with the version prefix and base64url only', async () => {
    const fragment = await encodeShare(PAYLOAD);
    assert.match(fragment, /^v1\.[A-Za-z0-9_-]+$/);
    assert.ok(looksLikeShare(`#${fragment}`));
    const opened = await decodeShare(`#${fragment}`);
    assert.equal(opened.ok, true);
    assert.equal(opened.payload.input, PAYLOAD.input);
    assert.equal(opened.payload.now_unix, 1700000000);
    assert.deepEqual(opened.payload.snapshot.answers[0].bytes, new Uint8Array(12).fill(1));
    assert.deepEqual(opened.payload.snapshot.answers[1],
                     {name: '5.113.0.203.zen.spamhaus.org', type: 1, ok: false, kind: 'timeout',
                      detail: 'doh: slow'});
  });

  test('broken links each get their own message', async () => {
    const good = await encodeShare(PAYLOAD);
    const cases = [
      ['#input', 'This is not a bouncedx link'],
      ['#v2.AAAA', 'This link needs a newer bouncedx'],
      ['#v1.ab+c', 'This link is damaged'],
      [`#${good.slice(0, good.length - 20)}`, 'This link is incomplete'],
      [`#v1.${'A'.repeat(SHARE_LIMITS.maxFragmentChars)}`, 'This link is too long'],
      [`#v1.${base64UrlEncode(await deflate(new TextEncoder().encode('{"input": 3}')))}`,
        'This link is damaged'],
      [`#v1.${base64UrlEncode(await deflate(new TextEncoder().encode('not json')))}`,
        'This link is damaged'],
    ];
    for (const [hash, title] of cases) {
      const opened = await decodeShare(hash);
      assert.equal(opened.ok, false, hash.slice(0, 40));
      assert.equal(opened.problem.title, title, hash.slice(0, 40));
      assert.ok(opened.problem.text.length > 10);
    }
  });

  test('a link cut anywhere reads as incomplete, never as damaged', async () => {
    const good = await encodeShare(PAYLOAD);
    const body = good.indexOf('.') + 1;
    for (let cut = body + 8; cut < good.length - 1; cut += 1) {
      const opened = await decodeShare(`#${good.slice(0, cut)}`);
      assert.equal(opened.ok, false, `cut at ${cut}`);
      assert.equal(opened.problem.title, 'This link is incomplete', `cut at ${cut}`);
    }
  });

  test('a link that inflates past the cap is refused while inflating', async () => {
    // 40 MiB of zeros deflate to about 40 KiB.
    const bomb = await deflate(new Uint8Array(40 * 1024 * 1024));
    const opened = await decodeShare(`#v1.${base64UrlEncode(bomb)}`);
    assert.equal(opened.problem.title, 'This link is too large');
  });

  test('payload checks refuse wrong shapes', () => {
    assert.equal(checkPayload(null), null);
    assert.equal(checkPayload({input: '', now_unix: 1}), null);
    assert.equal(checkPayload({input: 'x', now_unix: -1}), null);
    assert.equal(checkPayload({input: 'x', now_unix: 1, snapshot: {at: 1, answers: [
      {name: 'a', type: 1, ok: true, dns: 'AAAA'}]}}), null, 'answer shorter than a header');
    assert.equal(checkPayload({input: 'x', now_unix: 1, snapshot: {at: 1, answers: [
      {name: 'a', type: 1, ok: false, kind: 'explode'}]}}), null, 'unknown failure kind');
    assert.deepEqual(checkPayload({input: 'x', now_unix: 1, dns_checks: 'yes'}),
                     {input: 'x', now_unix: 1, dns_checks: false, snapshot: null,
                      redaction: {local_parts: false, display_names: false, subjects: false,
                                  message_ids: false}});
  });

  test('recording and replaying answers by name and type', async () => {
    const answers = [];
    const live = async (q) => (q.type === 1 ? {ok: true, bytes: new Uint8Array(12)} :
      {ok: false, kind: 'network', detail: 'doh: down'});
    const record = recordingLookup(live, answers);
    await record({name: 'Example.org', type: 1});
    await record({name: 'example.org', type: 16});
    assert.deepEqual(answers, [
      {name: 'Example.org', type: 1, ok: true, dns: 'AAAAAAAAAAAAAAAA'},
      {name: 'example.org', type: 16, ok: false, kind: 'network', detail: 'doh: down'},
    ]);
    const replay = replayLookup(checkPayload({input: 'x', now_unix: 1,
                                              snapshot: {at: 1, answers}}).snapshot);
    assert.deepEqual(await replay({name: 'example.ORG', type: 1}), {ok: true, bytes: new Uint8Array(12)});
    assert.deepEqual(await replay({name: 'example.org', type: 16}),
                     {ok: false, kind: 'network', detail: 'doh: down'});
    assert.equal((await replay({name: 'other.example', type: 1})).kind, 'cancelled');
  });
});
