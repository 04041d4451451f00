// SPDX-License-Identifier: MIT
// The bouncedx engine (C++ compiled to WebAssembly) as the page sees it.
//
// The engine runs in a module worker (engine-worker.js), so a huge paste
// never freezes the page; where module workers are missing it runs on the
// page itself. Either way the page talks to it through the same few calls
// below. runDiagnosis() drives one diagnosis with DNS answers from the
// `lookup` function it is given and frees it in a finally block whatever
// happens. The engine knows no HTTP; doh.js knows no mail; app.js joins them.

import {openSession} from './engine-session.js';

const WORKER_URL = 'engine-worker.js';

let worker = null;         // {port, pending: Map(id → {resolve, reject}), nextId}
let workerPolicy = null;   // Trusted Types policy vouching for WORKER_URL only
let localModule = null;    // promise of the module when there is no worker

function canUseWorker() {
  return typeof Worker === 'function' && typeof window !== 'undefined';
}

// Under Trusted Types a worker's URL must come from a policy; this one
// accepts nothing but the engine worker.
function workerScriptUrl() {
  if (!window.trustedTypes || !window.trustedTypes.createPolicy) return WORKER_URL;
  if (!workerPolicy) {
    workerPolicy = window.trustedTypes.createPolicy('bouncedx-engine', {
      createScriptURL(value) {
        if (value !== WORKER_URL) throw new TypeError(`bouncedx: only ${WORKER_URL} may be a worker`);
        return value;
      },
    });
  }
  return workerPolicy.createScriptURL(WORKER_URL);
}

// Ends a worker after a failure: every waiting call fails with `error`, and
// the next call starts a fresh worker (a failed load is not remembered, so
// the network may be back; a WebAssembly abort leaves nothing reusable).
function dropWorker(current, error) {
  if (worker === current) worker = null;
  current.port.terminate();
  for (const waiter of current.pending.values()) waiter.reject(error);
  current.pending.clear();
}

function startWorker() {
  const current = {port: new Worker(workerScriptUrl(), {type: 'module'}), pending: new Map(), nextId: 1};
  current.port.addEventListener('message', (event) => {
    const reply = event.data || {};
    const waiter = current.pending.get(reply.id);
    if (!waiter) return;
    current.pending.delete(reply.id);
    if (reply.ok) {
      waiter.resolve(reply.value);
    } else {
      const error = new Error(reply.message);
      waiter.reject(error);
      dropWorker(current, error);
    }
  });
  current.port.addEventListener('error', (event) => {
    event.preventDefault();
    dropWorker(current, new Error(`engine: the worker failed (${event.message || 'it did not start'})`));
  });
  return current;
}

// Sends one operation to the engine worker and resolves with its value.
function call(op, fields = {}) {
  if (!worker) worker = startWorker();
  const current = worker;
  const id = current.nextId++;
  return new Promise((resolve, reject) => {
    current.pending.set(id, {resolve, reject});
    current.port.postMessage({id, op, ...fields});
  });
}

function loadLocalModule() {
  if (!localModule) {
    localModule = import('./gen/bouncedx_wasm.js')
        .then((exports) => exports.default())
        .catch((error) => {
          localModule = null;
          throw error;
        });
  }
  return localModule;
}

// Loads the engine (once; a failed load is tried again on the next call).
// Resolves when it can diagnose.
export async function loadEngine() {
  if (canUseWorker()) {
    await call('load');
  } else {
    await loadLocalModule();
  }
}

// Returns the engine's version string.
export async function engineVersion() {
  if (canUseWorker()) return call('load');
  return (await loadLocalModule()).version();
}

// Returns the input redacted for a share link: {text, replacements:
// [{kind, original, placeholder, count}], warnings}. `options` holds the
// booleans local_parts, display_names, subjects and message_ids.
export async function redactInput(bytes, options) {
  const optionsJson = JSON.stringify(options);
  const json = canUseWorker() ? await call('redact', {bytes, optionsJson})
                              : (await loadLocalModule()).redact(bytes, optionsJson);
  return JSON.parse(json);
}

// The size of the WebAssembly heap in bytes (it grows, never shrinks), or 0
// before the engine is loaded.
export async function engineMemoryBytes() {
  if (canUseWorker()) return worker ? call('memory') : 0;
  if (!localModule) return 0;
  const module = await localModule;
  return module.HEAP8 ? module.HEAP8.length : 0;
}

// A diagnosis on this thread over `module` (the WebAssembly module, or the
// unit tests' stand-in with the same Diagnosis interface).
function localSession(module) {
  let session = null;
  return {
    async open(bytes, optionsJson) {
      session = openSession(module, bytes, optionsJson);
      return session.first();
    },
    async feed(outcomes) {
      return session.feed(outcomes);
    },
    close() {
      if (session) session.close();
    },
  };
}

// A diagnosis inside the engine worker.
function workerSession() {
  let id = null;
  return {
    async open(bytes, optionsJson) {
      const opened = await call('open', {bytes, optionsJson});
      id = opened.session;
      return opened.step;
    },
    feed(outcomes) {
      return call('feed', {session: id, outcomes});
    },
    close() {
      if (id !== null && worker) call('close', {session: id}).catch(() => {});
    },
  };
}

function parseReport(json) {
  const report = JSON.parse(json);
  if (!report || report.schema !== 1) {
    throw new Error(`engine: report schema ${report && report.schema} is not 1`);
  }
  return report;
}

// Diagnoses `bytes` (a Uint8Array of the input) with `options` (the engine's
// options object, sent as JSON). Calls onReport(report, {markdown, text})
// with the first report at once and again after answers arrive, until the
// diagnosis is finished, `signal` aborts, or no question is left open; the
// second argument is the same report in the forms people copy.
// `lookup(question)` answers one engine question: it resolves with
// {ok: true, bytes} or {ok: false, kind, detail} and never rejects; it may
// be null when DNS checks are off. Resolves with the last report, or null
// when aborted before the engine ran. `engine` replaces the WebAssembly
// module and runs on this thread (unit tests pass a stand-in).
export async function runDiagnosis(bytes, options, {lookup, onReport, signal, engine}) {
  let session;
  if (engine) {
    session = localSession(engine);
  } else if (canUseWorker()) {
    session = workerSession();
  } else {
    session = localSession(await loadLocalModule());
  }
  if (signal && signal.aborted) return null;
  try {
    let step = await session.open(bytes, JSON.stringify(options));
    let report = parseReport(step.reportJson);
    onReport(report, {markdown: step.markdown, text: step.text});
    const arrived = [];   // outcomes not yet fed to the engine
    let openCount = 0;    // questions sent to lookup and not answered
    let wake = null;
    const wakeUp = () => {
      if (wake) wake();
    };
    if (signal) signal.addEventListener('abort', wakeUp);
    try {
      while (!step.finished && !(signal && signal.aborted)) {
        for (const question of step.questions) {
          openCount++;
          const pending = lookup ? lookup(question) : Promise.resolve(
              {ok: false, kind: 'cancelled', detail: 'dns: checks are off'});
          pending.then((outcome) => {
            arrived.push({...outcome, id: question.id});
            wakeUp();
          });
        }
        if (arrived.length === 0) {
          if (openCount === 0) break;  // nothing to wait for
          await new Promise((resolve) => {
            wake = resolve;
          });
          wake = null;
          if (signal && signal.aborted) break;
        }
        // Feed everything that arrived in one step and show the result.
        const batch = arrived.splice(0, arrived.length);
        openCount -= batch.length;
        step = await session.feed(batch);
        report = parseReport(step.reportJson);
        onReport(report, {markdown: step.markdown, text: step.text});
      }
    } finally {
      if (signal) signal.removeEventListener('abort', wakeUp);
    }
    return report;
  } finally {
    session.close();
  }
}
