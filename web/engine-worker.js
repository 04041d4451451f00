// SPDX-License-Identifier: MIT
// The engine worker: runs the WebAssembly module off the page's main thread,
// so that a huge paste never freezes the page. It does no I/O of its own
// beyond loading the module from the page's origin; DNS stays on the page
// (where the Content-Security-Policy governs it) and reaches the engine as
// answer bytes.
//
// Protocol (see engine.js): the page sends {id, op, ...} and receives
// {id, ok: true, value} or {id, ok: false, message}. Operations:
//   load                          → the engine's version string
//   redact {bytes, optionsJson}   → the redaction result as JSON text
//   memory                        → the WebAssembly heap size in bytes
//   open {bytes, optionsJson}     → {session, step} (see engine-session.js)
//   feed {session, outcomes}      → step
//   close {session}               → true
// Any failure may have left the module unusable (a WebAssembly abort does),
// so the page drops this worker after one and starts a new one when needed.

import {openSession} from './engine-session.js';

let modulePromise = null;
const sessions = new Map();
let nextSession = 1;

function engine() {
  if (!modulePromise) {
    modulePromise = import('./gen/bouncedx_wasm.js').then((exports) => exports.default());
  }
  return modulePromise;
}

// The first diagnosis reads the knowledge and compiles the signature sets
// (a few hundred milliseconds). Doing it once right after the module loads,
// here off the page's thread, makes the person's first paste as quick as
// any other; a paste that arrives meanwhile simply waits its turn.
let warmed = false;
function warmUp(module) {
  if (warmed) return;
  warmed = true;
  setTimeout(() => {
    try {
      const session = openSession(module, new TextEncoder().encode('550 5.1.1 warm-up'),
                                  JSON.stringify({dns_checks: false}));
      session.close();
    } catch (error) {
      // A real diagnosis will meet and report the same problem.
    }
  }, 0);
}

async function perform(message) {
  const module = await engine();
  switch (message.op) {
    case 'load':
      warmUp(module);
      return module.version();
    case 'redact':
      return module.redact(message.bytes, message.optionsJson);
    case 'memory':
      return module.HEAP8 ? module.HEAP8.length : 0;
    case 'open': {
      const session = openSession(module, message.bytes, message.optionsJson);
      const id = nextSession++;
      sessions.set(id, session);
      try {
        return {session: id, step: session.first()};
      } catch (error) {
        sessions.delete(id);
        session.close();
        throw error;
      }
    }
    case 'feed': {
      const session = sessions.get(message.session);
      if (!session) throw new Error(`engine worker: no session ${message.session}`);
      return session.feed(message.outcomes);
    }
    case 'close': {
      const session = sessions.get(message.session);
      sessions.delete(message.session);
      if (session) session.close();
      return true;
    }
    default:
      throw new Error(`engine worker: unknown operation ${String(message.op)}`);
  }
}

self.addEventListener('message', (event) => {
  const message = event.data || {};
  perform(message).then(
      (value) => self.postMessage({id: message.id, ok: true, value}),
      (error) => self.postMessage(
          {id: message.id, ok: false, message: String(error && error.message || error)}));
});
