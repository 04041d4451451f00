// SPDX-License-Identifier: MIT
// Times the WebAssembly engine under Node: splits an mbox into messages and
// runs the first N through new Module.Diagnosis(bytes, options), reportJson()
// and delete(), as the page does for one paste (without DNS). Prints the
// mean milliseconds per message and messages per second.
//
// usage: node --no-experimental-fetch tests/bench/wasm_bench.mjs MODULE.js CORPUS.mbox [N]
// MODULE.js is the Emscripten ES module (build/wasm/bouncedx_wasm.js or
// web/gen/bouncedx_wasm.js); its .wasm file must sit beside it.

import {readFileSync} from 'node:fs';
import {resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {performance} from 'node:perf_hooks';

const USAGE = 'usage: node --no-experimental-fetch tests/bench/wasm_bench.mjs MODULE.js CORPUS.mbox [N]';

// Splits an mbox at "From " lines that start the file or follow an empty
// line, and drops each separator line.
function splitMbox(bytes) {
  const messages = [];
  let start = -1;
  let lineStart = 0;
  let previousEmpty = true;
  const isFrom = (i) => bytes[i] === 0x46 && bytes[i + 1] === 0x72 && bytes[i + 2] === 0x6f &&
      bytes[i + 3] === 0x6d && bytes[i + 4] === 0x20;
  while (lineStart < bytes.length) {
    let end = bytes.indexOf(0x0a, lineStart);
    if (end < 0) end = bytes.length;
    if (previousEmpty && isFrom(lineStart)) {
      if (start >= 0) messages.push(bytes.subarray(start, lineStart));
      start = end + 1;
    }
    previousEmpty = end === lineStart;
    lineStart = end + 1;
  }
  if (start >= 0 && start < bytes.length) messages.push(bytes.subarray(start));
  return messages;
}

async function main() {
  const [modulePath, corpusPath, countText] = process.argv.slice(2);
  if (!modulePath || !corpusPath) {
    console.error(USAGE);
    process.exit(2);
  }
  const count = Number(countText ?? 1000);
  const jsPath = resolve(modulePath);
  const wasmBinary = readFileSync(jsPath.replace(/\.js$/, '.wasm'));
  const {default: createModule} = await import(pathToFileURL(jsPath).href);
  const Module = await createModule({wasmBinary});

  const messages = splitMbox(readFileSync(corpusPath)).slice(0, count);
  if (messages.length === 0) {
    console.error(`wasm-bench: no messages in ${corpusPath}`);
    process.exit(1);
  }
  const options = '{"dns_checks":false}';
  const runOne = (bytes) => {
    const diagnosis = new Module.Diagnosis(bytes, options);
    try {
      return diagnosis.reportJson().length;
    } finally {
      diagnosis.delete();
    }
  };
  // Warm up: the first diagnosis loads the knowledge and compiles the signatures.
  const warmStart = performance.now();
  runOne(messages[0]);
  const warmMs = performance.now() - warmStart;

  let bytes = 0;
  let jsonBytes = 0;
  const start = performance.now();
  for (const message of messages) {
    bytes += message.length;
    jsonBytes += runOne(message);
  }
  const ms = performance.now() - start;
  const perMessage = ms / messages.length;
  console.log(`wasm: ${messages.length} messages, ${(bytes / 1e6).toFixed(1)} MB in ` +
              `${ms.toFixed(0)} ms: ${perMessage.toFixed(3)} ms/message, ` +
              `${(1000 / perMessage).toFixed(0)} messages/s, ` +
              `${(bytes / 1e6 / (ms / 1000)).toFixed(2)} MB/s ` +
              `(first diagnosis incl. knowledge load ${warmMs.toFixed(0)} ms; ` +
              `${(jsonBytes / 1e6).toFixed(1)} MB of report JSON)`);
}

main().catch((error) => {
  console.error(`wasm-bench: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
