// SPDX-License-Identifier: MIT
// Unit tests of web/evidence.js: byte spans of the report turned into text
// segments, with multi-byte characters, overlaps, bad spans and excerpts.

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';

import {evidenceSegments, splitRanges, toCharBoundary, validSpans} from '../../web/evidence.js';

const encode = (text) => new TextEncoder().encode(text);
const report = JSON.parse(readFileSync(new URL('./fixtures/report-spamhaus.json', import.meta.url), 'utf8'));
const SPAMHAUS = '554 5.7.1 : Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org';

describe('evidenceSegments', () => {
  test('marks the fixture spans in the Spamhaus reply', () => {
    assert.deepEqual(evidenceSegments(encode(SPAMHAUS), report.evidence), [
      {kind: 'mark', text: '554', spans: [0]},
      {kind: 'text', text: ' '},
      {kind: 'mark', text: '5.7.1', spans: [1]},
      {kind: 'text', text: ' : Service unavailable; '},
      {kind: 'mark', text: 'Client host [203.0.113.5]', spans: [2]},
      {kind: 'text', text: ' '},
      {kind: 'mark', text: 'blocked using zen.spamhaus.org', spans: [3]},
    ]);
  });

  test('offsets are bytes, not UTF-16 units', () => {
    const text = 'Zustellung fehlgeschlagen – 550 5.7.1 abgelehnt';
    const bytes = encode(text);
    const begin = bytes.length - encode('550 5.7.1 abgelehnt').length;
    const segments = evidenceSegments(bytes, [{begin, end: begin + 3, signal: 'reply_code'}]);
    assert.deepEqual(segments, [
      {kind: 'text', text: 'Zustellung fehlgeschlagen – '},
      {kind: 'mark', text: '550', spans: [0]},
      {kind: 'text', text: ' 5.7.1 abgelehnt'},
    ]);
  });

  test('overlapping spans split into ranges that list every span', () => {
    const segments = evidenceSegments(encode('abcdefgh'), [{begin: 1, end: 5}, {begin: 3, end: 7}]);
    assert.deepEqual(segments, [
      {kind: 'text', text: 'a'},
      {kind: 'mark', text: 'bc', spans: [0]},
      {kind: 'mark', text: 'de', spans: [0, 1]},
      {kind: 'mark', text: 'fg', spans: [1]},
      {kind: 'text', text: 'h'},
    ]);
  });

  test('drops reversed, empty, negative and out-of-range spans; clamps the end', () => {
    const bytes = encode('hello world');
    const spans = [
      {begin: 5, end: 2}, {begin: 3, end: 3}, {begin: -1, end: 4}, {begin: 50, end: 60},
      {begin: 'x', end: 4}, null, {begin: 6, end: 500},
    ];
    assert.deepEqual(evidenceSegments(bytes, spans), [
      {kind: 'text', text: 'hello '},
      {kind: 'mark', text: 'world', spans: [6]},
    ]);
  });

  test('a span inside a multi-byte character snaps to its start', () => {
    const bytes = encode('a€b');  // € is 3 bytes: offsets 1..3
    assert.equal(toCharBoundary(bytes, 2), 1);
    assert.equal(toCharBoundary(bytes, 3), 1);
    assert.equal(toCharBoundary(bytes, 4), 4);
    assert.deepEqual(validSpans(bytes, [{begin: 2, end: 5}]), [{begin: 1, end: 5, index: 0}]);
  });

  test('long inputs show excerpts around the spans and count the gaps', () => {
    const filler = 'x'.repeat(99) + '\n';
    const text = filler.repeat(1000) + 'blocked using zen.spamhaus.org\n' + filler.repeat(1000);
    const bytes = encode(text);
    const begin = 100000;
    const segments = evidenceSegments(bytes, [{begin, end: begin + 30}],
                                      {fullBytes: 1000, contextBytes: 150});
    assert.deepEqual(segments.map((s) => s.kind), ['gap', 'text', 'mark', 'text', 'gap']);
    assert.equal(segments[2].text, 'blocked using zen.spamhaus.org');
    // Whole lines around the span: one before, the rest of its own and one
    // after.
    assert.equal(segments[1].text, filler);
    assert.equal(segments[3].text, '\n' + filler);
    const shown = segments.filter((s) => s.kind !== 'gap')
        .reduce((n, s) => n + encode(s.text).length, 0);
    const hidden = segments.filter((s) => s.kind === 'gap').reduce((n, s) => n + s.bytes, 0);
    assert.equal(shown + hidden, bytes.length);
  });
});

test('splitRanges covers the whole input', () => {
  assert.deepEqual(splitRanges(10, [{begin: 2, end: 4, index: 0}]), [
    {begin: 0, end: 2, spans: []},
    {begin: 2, end: 4, spans: [0]},
    {begin: 4, end: 10, spans: []},
  ]);
});
