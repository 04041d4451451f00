// SPDX-License-Identifier: MIT
// Wires the page: input (paste, file, examples), settings, one diagnosis at
// a time, and the report view. The engine (engine.js), DNS over HTTPS
// (doh.js) and rendering (render.js) do the work; this file only decides
// when.

import {checkEndpoint, createDohSession} from './doh.js';
import {engineVersion, runDiagnosis} from './engine.js';
import {EXAMPLES} from './examples.js';
import {createReportView, el, formatBytes} from './render.js';
import {
  RESOLVERS, cleanDqsKey, cspAllowsUrl, knownResolver, readSettings, saveSettings,
} from './settings.js';

// The largest input the page hands to the engine: the engine's own default
// cap (Limits::max_input_bytes, 32 MiB). Larger inputs are refused before
// any work so that the page stays responsive.
const MAX_INPUT_BYTES = 32 * 1024 * 1024;

const $ = (id) => document.getElementById(id);
const ui = {
  input: $('input'),
  dropzone: $('dropzone'),
  fileChip: $('file-chip'),
  diagnose: $('diagnose'),
  file: $('file'),
  clear: $('clear'),
  status: $('status'),
  examples: $('examples'),
  report: $('report'),
  version: $('version'),
  settings: $('settings'),
  settingsSummary: $('settings-summary'),
  settingsOverride: $('settings-override'),
  dnsChecks: $('dns-checks'),
  resolverField: $('resolver-field'),
  resolverChoices: $('resolver-choices'),
  resolverCustom: $('resolver-custom'),
  customResolver: $('custom-resolver'),
  resolverNote: $('resolver-note'),
  dqsKey: $('dqs-key'),
  dqsNote: $('dqs-note'),
};

const view = createReportView(ui.report);
const encoder = new TextEncoder();
const policy = (document.querySelector('meta[http-equiv="Content-Security-Policy"]') || {})
    .content || '';

let settings = readSettings(safeStorage(), location.search);
let fileInput = null;   // {name, bytes} when the input came from a file
let current = null;     // the running diagnosis: {controller, session, shown}

function safeStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function setStatus(text, busy = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle('busy', busy);
  ui.diagnose.setAttribute('aria-busy', busy ? 'true' : 'false');
}

function resolverLabel(url) {
  const known = knownResolver(url);
  if (known) return known.label;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

// --- running a diagnosis --------------------------------------------------

function stopCurrent() {
  if (!current) return;
  current.controller.abort();
  if (current.session) current.session.cancel();
  current = null;
}

// Returns {bytes} for the current input, or {problem: [kind, title, text]}.
function takeInput() {
  if (fileInput) {
    if (fileInput.bytes.length > MAX_INPUT_BYTES) return {problem: tooLarge(fileInput.bytes.length)};
    return {bytes: fileInput.bytes};
  }
  const text = ui.input.value;
  // Every UTF-16 unit is at least one UTF-8 byte: no need to encode to know.
  if (text.length > MAX_INPUT_BYTES) {
    // Empty the box at once: laying out tens of megabytes of text would
    // freeze the page for many seconds.
    ui.input.value = '';
    return {problem: tooLarge(text.length, true)};
  }
  if (text.trim() === '') {
    return {problem: ['empty', 'Nothing to diagnose yet',
      'Paste an SMTP error line, a whole bounce message, or the headers of a message ' +
      '(or drop an .eml file), then press Diagnose.']};
  }
  const bytes = encoder.encode(text);
  if (bytes.length > MAX_INPUT_BYTES) {
    ui.input.value = '';
    return {problem: tooLarge(bytes.length)};
  }
  return {bytes};
}

function tooLarge(size, atLeast = false) {
  return ['too-large', 'The input is too large',
    `It is ${atLeast ? 'at least ' : ''}${formatBytes(size)}; bouncedx reads at most ` +
    `${formatBytes(MAX_INPUT_BYTES)}. Paste only the bounce message, or just its headers.`];
}

function showReport(report, bytes, dnsChecks) {
  if (report.input_kind === 'empty') {
    view.notice('empty', 'Nothing to diagnose yet',
        'The input holds only white space. Paste an SMTP error line, a bounce message or ' +
        'message headers.');
  } else if (report.input_kind === 'binary') {
    view.notice('binary', 'This is not text',
        `The input (${formatBytes(report.input_bytes)}) holds NUL or control bytes, so it is ` +
        'not a bounce, an SMTP reply or message headers. Open the bounce as an .eml or .txt ' +
        'file, or copy its text and paste it here.');
  } else {
    view.render(report, bytes, {dnsChecks});
  }
}

async function diagnose() {
  stopCurrent();
  const run = {controller: new AbortController(), session: null, shown: false};
  current = run;
  const input = takeInput();
  if (input.problem) {
    view.notice(...input.problem);
    setStatus('');
    current = null;
    revealResult();
    return;
  }
  const {bytes} = input;
  const dnsChecks = settings.dnsChecks;
  setStatus(`Reading ${formatBytes(bytes.length)}…`, true);
  await nextFrame();  // let the status paint before the engine works
  if (current !== run) return;

  let lookup = null;
  if (dnsChecks) {
    run.session = createDohSession({endpoint: settings.resolver});
    lookup = (question) => run.session.query(question.dns);
  }
  const options = {
    now_unix: Math.floor(Date.now() / 1000),
    dns_checks: dnsChecks,
    spamhaus_dqs_key: settings.dqsKey,
  };
  try {
    const final = await runDiagnosis(bytes, options, {
      lookup,
      signal: run.controller.signal,
      onReport(report) {
        if (current !== run) return;
        showReport(report, bytes, dnsChecks);
        if (!run.shown) {
          run.shown = true;
          revealResult();
        }
        const pending = report.checks.filter((c) => c.state === 'pending').length;
        setStatus(pending > 0 ? `Checking DNS (${pending} left)…` : 'Diagnosing…', true);
      },
    });
    if (current === run) {
      setStatus(final ? doneText(final) : '');
      showVersion();
    }
  } catch (error) {
    if (current === run) {
      view.notice('error', 'bouncedx could not run',
          `The diagnosis engine failed to load or crashed: ${String(error && error.message || error)}. ` +
          'Reload the page to try again.');
      setStatus('');
    }
  } finally {
    if (run.session) run.session.finish();
    if (current === run) current = null;
  }
}

// Brings the first card of the result into view when it landed below the
// fold (on a phone, the paste box fills the screen).
function revealResult() {
  const first = ui.report.firstElementChild;
  if (!first) return;
  const top = first.getBoundingClientRect().top;
  if (top < window.innerHeight - 80) return;
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  first.scrollIntoView({block: 'start', behavior: still ? 'auto' : 'smooth'});
}

function doneText(report) {
  if (report.input_kind === 'empty' || report.input_kind === 'binary') return '';
  const checks = report.checks.length;
  return checks > 0 ? `Done · ${checks} DNS ${checks === 1 ? 'check' : 'checks'}` : 'Done';
}

let versionShown = false;
async function showVersion() {
  if (versionShown) return;
  versionShown = true;
  try {
    ui.version.textContent = `Engine ${await engineVersion()}`;
  } catch {
    versionShown = false;
  }
}

// --- input ---------------------------------------------------------------

function useText() {
  if (!fileInput) return;
  fileInput = null;
  ui.fileChip.hidden = true;
  ui.fileChip.replaceChildren();
}

function looksBinary(bytes) {
  const head = bytes.subarray(0, 64 * 1024);
  return head.includes(0);
}

async function loadFile(file) {
  stopCurrent();
  if (file.size > MAX_INPUT_BYTES) {
    fileInput = null;
    view.notice(...tooLarge(file.size));
    setStatus('');
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  fileInput = {name: file.name, bytes};
  const binary = looksBinary(bytes);
  // Show the text in the box; the engine reads the file's own bytes, so
  // evidence offsets point into exactly what was dropped.
  ui.input.value = binary ? '' : new TextDecoder('utf-8', {fatal: false}).decode(bytes);
  ui.fileChip.replaceChildren(
      el('strong', null, file.name || 'file'), ` · ${formatBytes(bytes.length)}`,
      binary ? ' · not shown: this file is not text' : '');
  ui.fileChip.hidden = false;
  diagnose();
}

ui.input.addEventListener('input', useText);
ui.input.addEventListener('paste', (event) => {
  const pasted = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
  if (pasted.length > MAX_INPUT_BYTES) {
    // Refuse before the text lands in the box (see takeInput()).
    event.preventDefault();
    stopCurrent();
    view.notice(...tooLarge(pasted.length, true));
    setStatus('');
    return;
  }
  // The new value is in place only after the paste event.
  setTimeout(() => {
    useText();
    diagnose();
  }, 0);
});
ui.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    diagnose();
  }
});
ui.diagnose.addEventListener('click', () => diagnose());
ui.clear.addEventListener('click', () => {
  stopCurrent();
  useText();
  ui.input.value = '';
  ui.file.value = '';
  view.clear();
  setStatus('');
  ui.input.focus();
});
ui.file.addEventListener('change', () => {
  const file = ui.file.files && ui.file.files[0];
  if (file) loadFile(file);
  ui.file.value = '';
});

// Files may be dropped anywhere on the page; the box shows where.
let dragDepth = 0;
window.addEventListener('dragenter', (event) => {
  if (!event.dataTransfer || ![...event.dataTransfer.types].includes('Files')) return;
  dragDepth++;
  ui.dropzone.classList.add('dragging');
});
window.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) ui.dropzone.classList.remove('dragging');
});
window.addEventListener('dragover', (event) => {
  if (event.dataTransfer && [...event.dataTransfer.types].includes('Files')) {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }
});
window.addEventListener('drop', (event) => {
  dragDepth = 0;
  ui.dropzone.classList.remove('dragging');
  const file = event.dataTransfer && event.dataTransfer.files && event.dataTransfer.files[0];
  if (!file) return;  // dropped text goes into the box as usual
  event.preventDefault();
  loadFile(file);
});

for (const example of EXAMPLES) {
  const button = el('button', {type: 'button', class: 'example'}, example.label);
  button.addEventListener('click', () => {
    useText();
    ui.input.value = example.text;
    diagnose();
  });
  ui.examples.append(button);
}

// --- settings ------------------------------------------------------------

function renderSettings() {
  ui.dnsChecks.checked = settings.dnsChecks;
  ui.resolverField.disabled = !settings.dnsChecks;
  const known = knownResolver(settings.resolver);
  for (const radio of ui.resolverChoices.querySelectorAll('input')) {
    radio.checked = known !== null && radio.value === known.id;
  }
  ui.resolverCustom.checked = known === null;
  if (known === null && document.activeElement !== ui.customResolver) {
    ui.customResolver.value = settings.resolver;
  }
  ui.customResolver.disabled = known !== null || !settings.dnsChecks;
  if (document.activeElement !== ui.dqsKey) ui.dqsKey.value = settings.dqsKey;

  ui.settingsSummary.textContent = settings.dnsChecks ?
    `DNS checks on · ${resolverLabel(settings.resolver)}` : 'DNS checks off';

  let note = '';
  if (settings.dnsChecks && !cspAllowsUrl(policy, location.href, settings.resolver)) {
    note = `This page's Content-Security-Policy does not allow connections to ` +
        `${new URL(settings.resolver).origin}, so checks through it will fail. ` +
        'Whoever hosts the page can add that origin to connect-src in index.html.';
  }
  ui.resolverNote.textContent = note;

  const notes = [...settings.problems];
  if (settings.overrides.length > 0) {
    notes.unshift(`Set by this page's address for this visit only: ` +
        settings.overrides.map((o) => (o === 'dns' ? 'DNS checks' : 'resolver')).join(' and ') + '.');
  }
  ui.settingsOverride.hidden = notes.length === 0;
  ui.settingsOverride.textContent = notes.join(' ');
}

function settingsChanged(patch) {
  settings = {...settings, ...patch, overrides: [], problems: []};
  saveSettings(safeStorage(), settings);
  renderSettings();
  if (ui.input.value.trim() !== '' || fileInput) diagnose();
}

for (const resolver of RESOLVERS) {
  const radio = el('input', {type: 'radio', class: 'resolver-radio'});
  radio.name = 'resolver';
  radio.value = resolver.id;
  radio.addEventListener('change', () => {
    if (radio.checked) settingsChanged({resolver: resolver.url});
  });
  ui.resolverChoices.append(el('label', {class: 'choice'}, radio, el('span', null, resolver.label)));
}
ui.resolverCustom.addEventListener('change', () => {
  ui.customResolver.disabled = false;
  ui.customResolver.focus();
});
ui.customResolver.addEventListener('change', () => {
  const checked = checkEndpoint(ui.customResolver.value);
  if (checked.ok) {
    settingsChanged({resolver: checked.url});
  } else {
    ui.resolverNote.textContent = checked.reason;
  }
});
ui.dnsChecks.addEventListener('change', () => settingsChanged({dnsChecks: ui.dnsChecks.checked}));
ui.dqsKey.addEventListener('change', () => {
  const key = cleanDqsKey(ui.dqsKey.value);
  if (ui.dqsKey.value.trim() !== '' && key === '') {
    ui.dqsNote.textContent = 'Spamhaus DQS key: letters and digits only; not saved';
    return;
  }
  ui.dqsNote.textContent = '';
  settingsChanged({dqsKey: key});
});

renderSettings();
if (settings.problems.length > 0) ui.settings.open = true;
