// SPDX-License-Identifier: MIT
// Unit tests of web/timeline.js's pure part, with a report fixture whose
// hops follow core/report/SCHEMA.md (newest first, delay to the next hop).

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';

import {shortDuration, timelineRows} from '../../web/timeline.js';

const report = JSON.parse(readFileSync(new URL('./fixtures/report-hops.json', import.meta.url), 'utf8'));

test('rows run oldest first, bars scaled to the longest delay, the edge marked', () => {
  const rows = timelineRows(report.hops);
  assert.deepEqual(rows.map((r) => [r.label, r.delay, r.edge, Math.round(r.share * 100)]), [
    ['laptop.example.com', 16, false, 100],
    ['mail.example.com', 3, true, 19],
    ['mx.recipient.example', 1, false, 6],
    ['unknown host', -1, false, 0],
  ]);
});

test('no hops, no rows; durations read as people say them', () => {
  assert.deepEqual(timelineRows([]), []);
  assert.deepEqual(timelineRows(undefined), []);
  assert.equal(shortDuration(0), '0 s');
  assert.equal(shortDuration(75), '1 min 15 s');
  assert.equal(shortDuration(7260), '2 h 1 min');
  assert.equal(shortDuration(-1), '');
});
