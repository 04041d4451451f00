// SPDX-License-Identifier: MIT
// The bouncedx engine (C++ compiled to WebAssembly) as the page sees it.
//
// The module is fetched on first use and the promise kept, so every caller
// awaits the same instance. runDiagnosis() is the only code that touches a
// C++ object: it creates one Diagnosis, drives it with DNS answers from the
// `lookup` function it is given, and deletes it in a finally block whatever
// happens. The engine knows no HTTP; doh.js knows no mail; app.js joins them.

let modulePromise = null;

// Loads the WebAssembly module once. A failed load is not cached, so a later
// call tries again (the network may be back).
export function loadEngine() {
  if (!modulePromise) {
    modulePromise = import('./gen/bouncedx_wasm.js')
        .then((exports) => exports.default())
        .catch((error) => {
          modulePromise = null;
          throw error;
        });
  }
  return modulePromise;
}

// Returns the engine's version string.
export async function engineVersion() {
  const module = await loadEngine();
  return module.version();
}

// Returns the input redacted for a share link: {text, replacements:
// [{kind, original, placeholder, count}], warnings}. `options` holds the
// booleans local_parts, display_names, subjects and message_ids.
export async function redactInput(bytes, options) {
  const module = await loadEngine();
  return JSON.parse(module.redact(bytes, JSON.stringify(options)));
}

// The size of the WebAssembly heap in bytes (it grows, never shrinks), or 0
// before the engine is loaded.
export async function engineMemoryBytes() {
  if (!modulePromise) return 0;
  const module = await modulePromise;
  return module.HEAP8 ? module.HEAP8.length : 0;
}

// The report in the forms people copy: {markdown, text}. Empty strings when
// the engine has no such method (the unit tests' stand-in).
function formatsOf(diagnosis) {
  return {
    markdown: typeof diagnosis.reportMarkdown === 'function' ? diagnosis.reportMarkdown() : '',
    text: typeof diagnosis.reportText === 'function' ? diagnosis.reportText() : '',
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
// options object, sent as JSON). Calls onReport(report) with the first
// report at once and again after answers arrive, until the diagnosis is
// finished, `signal` aborts, or no question is left open; the second
// argument, {markdown, text}, is the same report in the forms people copy. `lookup(question)`
// answers one engine question: it resolves with {ok: true, bytes} or
// {ok: false, kind, detail} and never rejects; it may be null when DNS checks
// are off. Resolves with the last report, or null when aborted before the
// engine ran. `engine` replaces the WebAssembly module (unit tests pass a
// stand-in with the same Diagnosis interface).
export async function runDiagnosis(bytes, options, {lookup, onReport, signal, engine}) {
  const module = engine || await loadEngine();
  if (signal && signal.aborted) return null;
  const diagnosis = new module.Diagnosis(bytes, JSON.stringify(options));
  try {
    let report = parseReport(diagnosis.reportJson());
    onReport(report, formatsOf(diagnosis));
    const arrived = [];   // [question, outcome] not yet fed to the engine
    let openCount = 0;    // questions sent to lookup and not answered
    let wake = null;
    const wakeUp = () => {
      if (wake) wake();
    };
    if (signal) signal.addEventListener('abort', wakeUp);
    try {
      while (!diagnosis.finished() && !(signal && signal.aborted)) {
        for (const question of JSON.parse(diagnosis.takeQuestionsJson())) {
          openCount++;
          const pending = lookup ? lookup(question) : Promise.resolve(
              {ok: false, kind: 'cancelled', detail: 'dns: checks are off'});
          pending.then((outcome) => {
            arrived.push([question, outcome]);
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
        // Feed what arrived one by one and show each step.
        while (arrived.length > 0) {
          const [question, outcome] = arrived.shift();
          openCount--;
          if (outcome.ok) {
            diagnosis.onAnswer(question.id, outcome.bytes);
          } else {
            diagnosis.onFailure(question.id, outcome.kind, outcome.detail || '');
          }
        }
        report = parseReport(diagnosis.reportJson());
        onReport(report, formatsOf(diagnosis));
      }
    } finally {
      if (signal) signal.removeEventListener('abort', wakeUp);
    }
    return report;
  } finally {
    diagnosis.delete();
  }
}
