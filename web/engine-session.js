// SPDX-License-Identifier: MIT
// One diagnosis driven step by step over the WebAssembly module's Diagnosis
// class. The same code runs inside the engine worker (engine-worker.js) and,
// for unit tests and browsers without module workers, on the page itself.
//
//   const session = openSession(module, bytes, optionsJson);
//   let step = session.first();           // report, formats, questions
//   step = session.feed([{id, ok: true, bytes}, {id, ok: false, kind, detail}]);
//   session.close();                      // frees the C++ object
//
// A step is plain data (strings, numbers, booleans) so that it crosses
// postMessage unchanged: {reportJson, markdown, text, questions, finished}.

function stepOf(diagnosis) {
  return {
    reportJson: diagnosis.reportJson(),
    markdown: typeof diagnosis.reportMarkdown === 'function' ? diagnosis.reportMarkdown() : '',
    text: typeof diagnosis.reportText === 'function' ? diagnosis.reportText() : '',
    questions: JSON.parse(diagnosis.takeQuestionsJson()),
    finished: diagnosis.finished(),
  };
}

export function openSession(module, bytes, optionsJson) {
  let diagnosis = new module.Diagnosis(bytes, optionsJson);
  return {
    first() {
      return stepOf(diagnosis);
    },
    // Feeds outcomes of questions, in order, and returns the step after them.
    feed(outcomes) {
      for (const outcome of outcomes) {
        if (outcome.ok) {
          diagnosis.onAnswer(outcome.id, outcome.bytes);
        } else {
          diagnosis.onFailure(outcome.id, outcome.kind, outcome.detail || '');
        }
      }
      return stepOf(diagnosis);
    },
    close() {
      if (diagnosis) diagnosis.delete();
      diagnosis = null;
    },
  };
}
