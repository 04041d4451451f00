// SPDX-License-Identifier: MIT
// Unit tests of web/engine.js's driving loop, with a stand-in for the
// WebAssembly module that has the same Diagnosis interface: questions out,
// answers and failures in, the C++ object deleted whatever happens.

import assert from 'node:assert/strict';
import {describe, test} from 'node:test';

import {runDiagnosis} from '../../web/engine.js';

// A scripted diagnosis: `plan` maps a question id to the follow-up
// questions its answer causes. Records every call.
function fakeEngine(firstQuestions, plan = {}, {throwOnAnswer = false} = {}) {
  const log = [];
  class Diagnosis {
    constructor(bytes, optionsJson) {
      log.push(['new', bytes.length, JSON.parse(optionsJson)]);
      this.queue = [...firstQuestions];
      this.open = new Set(firstQuestions.map((q) => q.id));
      this.settled = [];
    }
    takeQuestionsJson() {
      const out = this.queue;
      this.queue = [];
      return JSON.stringify(out);
    }
    onAnswer(id, bytes) {
      if (throwOnAnswer) throw new Error('engine: boom');
      log.push(['answer', id, bytes.length]);
      this.settle(id, 'pass');
    }
    onFailure(id, kind, detail) {
      log.push(['failure', id, kind, detail]);
      this.settle(id, 'error');
    }
    settle(id, state) {
      this.open.delete(id);
      this.settled.push({id: String(id), state});
      for (const q of plan[id] || []) {
        this.queue.push(q);
        this.open.add(q.id);
      }
    }
    finished() {
      return this.open.size === 0 && this.queue.length === 0;
    }
    reportJson() {
      return JSON.stringify({schema: 1, checks: this.settled});
    }
    delete() {
      log.push(['delete']);
    }
  }
  return {engine: {Diagnosis}, log};
}

const q = (id) => ({id, name: `q${id}.example`, type: 1, type_name: 'A', dns: `Q${id}`});
const BYTES = new TextEncoder().encode('554 5.7.1 test');

describe('runDiagnosis', () => {
  test('feeds answers, asks follow-up questions, reports after each round, deletes', async () => {
    const {engine, log} = fakeEngine([q(1), q(2)], {1: [q(3)]});
    const asked = [];
    const reports = [];
    const final = await runDiagnosis(BYTES, {now_unix: 1, dns_checks: true}, {
      engine,
      lookup: async (question) => {
        asked.push(question.dns);
        return {ok: true, bytes: new Uint8Array(12)};
      },
      onReport: (report) => reports.push(report.checks.length),
    });
    assert.deepEqual(asked, ['Q1', 'Q2', 'Q3']);
    assert.deepEqual(final.checks.map((c) => c.id), ['1', '2', '3']);
    assert.equal(reports[0], 0);             // the offline report comes first
    assert.equal(reports[reports.length - 1], 3);
    assert.deepEqual(log[0], ['new', BYTES.length, {now_unix: 1, dns_checks: true}]);
    assert.deepEqual(log[log.length - 1], ['delete']);
  });

  test('passes failures on with their kind and detail', async () => {
    const {engine, log} = fakeEngine([q(7)]);
    await runDiagnosis(BYTES, {}, {
      engine,
      lookup: async () => ({ok: false, kind: 'timeout', detail: 'doh: slow'}),
      onReport: () => {},
    });
    assert.deepEqual(log.filter((e) => e[0] === 'failure'), [['failure', 7, 'timeout', 'doh: slow']]);
  });

  test('without a lookup every question fails as cancelled', async () => {
    const {engine, log} = fakeEngine([q(1)]);
    await runDiagnosis(BYTES, {}, {engine, lookup: null, onReport: () => {}});
    assert.deepEqual(log.filter((e) => e[0] === 'failure'),
                     [['failure', 1, 'cancelled', 'dns: checks are off']]);
  });

  test('an abort stops waiting and still deletes the diagnosis', async () => {
    const {engine, log} = fakeEngine([q(1)]);
    const controller = new AbortController();
    const pending = runDiagnosis(BYTES, {}, {
      engine,
      signal: controller.signal,
      lookup: () => new Promise(() => {}),  // never answers
      onReport: () => {},
    });
    setTimeout(() => controller.abort(), 10);
    await pending;
    assert.deepEqual(log[log.length - 1], ['delete']);
  });

  test('an error inside the engine still deletes the diagnosis', async () => {
    const {engine, log} = fakeEngine([q(1)], {}, {throwOnAnswer: true});
    await assert.rejects(runDiagnosis(BYTES, {}, {
      engine,
      lookup: async () => ({ok: true, bytes: new Uint8Array(12)}),
      onReport: () => {},
    }), /engine: boom/);
    assert.deepEqual(log[log.length - 1], ['delete']);
  });

  test('a report with another schema is refused', async () => {
    const {engine, log} = fakeEngine([]);
    engine.Diagnosis.prototype.reportJson = () => '{"schema":2}';
    await assert.rejects(runDiagnosis(BYTES, {}, {engine, lookup: null, onReport: () => {}}),
                         /report schema 2 is not 1/);
    assert.deepEqual(log[log.length - 1], ['delete']);
  });
});
