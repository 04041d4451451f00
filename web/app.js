// SPDX-License-Identifier: MIT
// Wires the page: input (paste, file, examples), settings, one diagnosis at
// a time, and the report view. The engine (engine.js), DNS over HTTPS
// (doh.js) and rendering (render.js) do the work; this file only decides
// when.

import {checkEndpoint, createDohSession} from './doh.js';
import {engineVersion, loadEngine, redactInput, runDiagnosis} from './engine.js';
import {EXAMPLES, EXAMPLE_GROUPS} from './examples.js';
import {createReportView, el, formatBytes} from './render.js';
import {
  RESOLVERS, cleanDqsKey, cspAllowsUrl, knownResolver, readSettings, saveSettings,
} from './settings.js';
import {
  decodeShare, encodeShare, looksLikeShare, recordingLookup, replayLookup,
} from './share.js';

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
  toolbar: $('toolbar'),
  copyMarkdown: $('copy-markdown'),
  copyText: $('copy-text'),
  shareOpen: $('share-open'),
  print: $('print'),
  copyStatus: $('copy-status'),
  sharePanel: $('share-panel'),
  redactLocal: $('redact-local'),
  redactNames: $('redact-names'),
  redactSubjects: $('redact-subjects'),
  redactIds: $('redact-ids'),
  shareSnapshot: $('share-snapshot'),
  shareReplacements: $('share-replacements'),
  sharePreview: $('share-preview'),
  shareCopy: $('share-copy'),
  shareSize: $('share-size'),
  shareUrl: $('share-url'),
  sharedBanner: $('shared-banner'),
  sharedText: $('shared-text'),
  recheck: $('recheck'),
  announcer: $('announcer'),
};

const view = createReportView(ui.report);
const encoder = new TextEncoder();
const policy = (document.querySelector('meta[http-equiv="Content-Security-Policy"]') || {})
    .content || '';

let settings = readSettings(safeStorage(), location.search);
let fileInput = null;   // {name, bytes} when the input came from a file
let current = null;     // the running diagnosis: {controller, session, shown}
// The report on screen and what made it, for copying and sharing:
// {report, formats: {markdown, text}, bytes, options, answers, resolver}.
let shown = null;

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

// Runs one diagnosis of the input box (or the dropped file). `shared`
// replays a share link: {nowUnix, snapshot} (snapshot null: live DNS).
async function diagnose(shared = null) {
  stopCurrent();
  if (!shared) leaveSharedLink();
  const run = {controller: new AbortController(), session: null, shown: false};
  current = run;
  shown = null;
  ui.toolbar.hidden = true;
  closeSharePanel();
  const input = takeInput();
  if (input.problem) {
    view.notice(...input.problem);
    setStatus('');
    current = null;
    revealResult();
    return;
  }
  const {bytes} = input;
  const replay = shared && shared.snapshot ? shared.snapshot : null;
  const dnsChecks = replay ? true : settings.dnsChecks;
  setStatus(`Reading ${formatBytes(bytes.length)}…`, true);
  await nextFrame();  // let the status paint before the engine works
  if (current !== run) return;

  let lookup = null;
  const answers = [];
  if (replay) {
    lookup = replayLookup(replay);
  } else if (dnsChecks) {
    run.session = createDohSession({endpoint: settings.resolver});
    lookup = recordingLookup((question) => run.session.query(question.dns), answers);
  }
  const options = {
    now_unix: shared && shared.nowUnix ? shared.nowUnix : Math.floor(Date.now() / 1000),
    dns_checks: dnsChecks,
    spamhaus_dqs_key: replay ? '' : settings.dqsKey,
  };
  try {
    const final = await runDiagnosis(bytes, options, {
      lookup,
      signal: run.controller.signal,
      onReport(report, formats) {
        if (current !== run) return;
        showReport(report, bytes, dnsChecks);
        const real = report.input_kind !== 'empty' && report.input_kind !== 'binary';
        shown = real ? {report, formats, bytes, options, answers, replayed: replay !== null,
                        resolver: settings.resolver} : null;
        ui.toolbar.hidden = !real;
        if (!run.shown) {
          run.shown = true;
          revealResult();
          if (real) announce(verdictAnnouncement(report));
        }
        const pending = report.checks.filter((c) => c.state === 'pending').length;
        setStatus(pending > 0 ? `Checking DNS (${pending} left)…` : 'Diagnosing…', true);
      },
    });
    if (current === run) {
      setStatus(final ? doneText(final) : '');
      if (final && final.checks.length > 0) announce(checksAnnouncement(final));
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

function announce(text) {
  // Emptied first so that the same words twice are announced twice.
  ui.announcer.textContent = '';
  setTimeout(() => {
    ui.announcer.textContent = text;
  }, 50);
}

function verdictAnnouncement(report) {
  const v = report.verdict;
  const who = v.provider_name || v.rejecting_host;
  return `Verdict: ${v.title || v.cause_id}.` + (who ? ` Rejected by ${who}.` : '') +
      (v.confidence ? ` ${v.confidence} confidence.` : '') +
      (report.fix.length > 0 ? ` ${report.fix.length} fix ${report.fix.length === 1 ? 'step' : 'steps'}.` : '');
}

function checksAnnouncement(report) {
  const count = (state) => report.checks.filter((c) => c.state === state).length;
  const parts = [['fail', 'failed'], ['warn', 'with warnings'], ['pass', 'passed'],
    ['info', 'for information'], ['error', 'not checked']]
      .map(([state, words]) => [count(state), words]).filter(([n]) => n > 0)
      .map(([n, words]) => `${n} ${words}`);
  return `DNS checks finished: ${parts.join(', ')}.`;
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

for (const group of EXAMPLE_GROUPS) {
  const id = `examples-${group.id}`;
  const list = el('div', {class: 'example-list', role: 'group', 'aria-labelledby': id});
  for (const example of EXAMPLES.filter((e) => e.group === group.id)) {
    const button = el('button', {type: 'button', class: 'example'}, example.label);
    button.addEventListener('click', () => {
      useText();
      ui.input.value = example.text;
      diagnose();
    });
    list.append(button);
  }
  ui.examples.append(el('div', {class: 'example-group'},
      el('span', {class: 'example-group-label', id}, group.label), list));
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

// --- copying, printing -----------------------------------------------------

let copyTimer = null;
function copyStatus(text) {
  ui.copyStatus.textContent = text;
  clearTimeout(copyTimer);
  copyTimer = setTimeout(() => {
    ui.copyStatus.textContent = '';
  }, 4000);
}

// Puts `text` on the clipboard. Resolves with true when it got there.
async function writeClipboard(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older browsers, or no permission: copy from a selected text box.
    const box = el('textarea', {class: 'visually-hidden', 'aria-hidden': 'true'});
    box.value = text;
    document.body.append(box);
    box.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    box.remove();
    return ok;
  }
}

async function copyFormat(kind, label) {
  if (!shown) return;
  const ok = await writeClipboard(shown.formats[kind]);
  copyStatus(ok ? `Copied the report as ${label}.` : 'Copying failed: the browser refused.');
}

ui.copyMarkdown.addEventListener('click', () => copyFormat('markdown', 'Markdown'));
ui.copyText.addEventListener('click', () => copyFormat('text', 'plain text'));
ui.print.addEventListener('click', () => window.print());

// Printing shows every check's DNS data: open what is closed, and close it
// again afterwards.
let openedForPrint = [];
window.addEventListener('beforeprint', () => {
  openedForPrint = [...ui.report.querySelectorAll('details:not([open])')];
  for (const d of openedForPrint) d.open = true;
});
window.addEventListener('afterprint', () => {
  for (const d of openedForPrint) d.open = false;
  openedForPrint = [];
});

// --- share links -----------------------------------------------------------

function redactionChoice() {
  return {
    local_parts: ui.redactLocal.checked,
    display_names: ui.redactNames.checked,
    subjects: ui.redactSubjects.checked,
    message_ids: ui.redactIds.checked,
  };
}

function closeSharePanel() {
  ui.sharePanel.hidden = true;
  ui.shareOpen.setAttribute('aria-expanded', 'false');
}

const KIND_LABELS = {local_part: 'mailbox', display_name: 'name', subject: 'subject',
  message_id: 'message ID'};
const PREVIEW_CHARS = 20000;

// Builds the link for the report on screen with the chosen options.
// Resolves with {url, redaction} or throws with a message for people.
async function buildShareLink() {
  const redaction = await redactInput(shown.bytes, redactionChoice());
  let snapshot = null;
  if (ui.shareSnapshot.checked && shown.options.dns_checks && !shown.replayed) {
    // A DQS key is part of the names asked; it must not leave in a link.
    const key = settings.dqsKey;
    const answers = shown.answers.filter((a) => !key || !a.name.toLowerCase().includes(key));
    let resolver = '';
    try {
      resolver = new URL(shown.resolver).host;
    } catch {
      resolver = '';
    }
    snapshot = {at: shown.options.now_unix, resolver, answers};
  }
  const fragment = await encodeShare({
    input: redaction.text,
    now_unix: shown.options.now_unix,
    dns_checks: snapshot !== null,
    redaction: redactionChoice(),
    snapshot,
  });
  return {url: `${location.origin}${location.pathname}#${fragment}`, redaction};
}

let shareGeneration = 0;
async function updateSharePreview() {
  if (!shown || ui.sharePanel.hidden) return;
  const generation = ++shareGeneration;
  ui.shareSize.textContent = 'Preparing the link…';
  ui.shareSnapshot.disabled = !shown.options.dns_checks || shown.replayed;
  try {
    const {url, redaction} = await buildShareLink();
    if (generation !== shareGeneration) return;
    const items = redaction.replacements.slice(0, 50).map((r) => el('li', null,
        el('span', {class: 'mono'}, r.original), ' → ', el('span', {class: 'mono'}, r.placeholder),
        el('span', {class: 'muted'}, ` (${KIND_LABELS[r.kind] || r.kind}, ${r.count}×)`)));
    if (redaction.replacements.length > 50) {
      items.push(el('li', {class: 'muted'}, `and ${redaction.replacements.length - 50} more`));
    }
    if (items.length === 0) items.push(el('li', {class: 'muted'}, 'Nothing was replaced.'));
    ui.shareReplacements.replaceChildren(...items);
    const text = redaction.text;
    ui.sharePreview.textContent = text.length > PREVIEW_CHARS ?
      `${text.slice(0, PREVIEW_CHARS)}\n… ${text.length - PREVIEW_CHARS} more characters` : text;
    const withDns = ui.shareSnapshot.checked && !ui.shareSnapshot.disabled;
    ui.shareSize.textContent = `The link is ${formatBytes(url.length)}` +
        (withDns ? `, with ${shown.answers.length} DNS answers.` : ', without DNS answers.');
    ui.shareUrl.value = url;
    ui.shareCopy.disabled = false;
  } catch (error) {
    if (generation !== shareGeneration) return;
    ui.shareSize.textContent = String(error && error.message || error);
    ui.shareUrl.value = '';
    ui.shareCopy.disabled = true;
  }
}

ui.shareOpen.addEventListener('click', () => {
  const open = ui.sharePanel.hidden;
  ui.sharePanel.hidden = !open;
  ui.shareOpen.setAttribute('aria-expanded', open ? 'true' : 'false');
  if (open) updateSharePreview();
});
for (const box of [ui.redactLocal, ui.redactNames, ui.redactSubjects, ui.redactIds,
  ui.shareSnapshot]) {
  box.addEventListener('change', updateSharePreview);
}
ui.shareCopy.addEventListener('click', async () => {
  if (!ui.shareUrl.value) return;
  ui.shareUrl.hidden = false;
  ui.shareUrl.select();
  const ok = await writeClipboard(ui.shareUrl.value);
  ui.shareSize.textContent = ok ? 'Link copied. Anyone with it sees this report.' :
    'Copying failed; select the link below and copy it yourself.';
});

// Leaves the shared-link view: the address no longer names the old input.
function leaveSharedLink() {
  ui.sharedBanner.hidden = true;
  if (looksLikeShare(location.hash)) {
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  }
}

function describeRedaction(redaction) {
  const removed = [['local_parts', 'mailbox names'], ['display_names', 'display names'],
    ['subjects', 'subjects'], ['message_ids', 'message IDs']]
      .filter(([key]) => redaction[key]).map(([, words]) => words);
  return removed.length > 0 ? `Removed before sharing: ${removed.join(', ')}.` :
    'Nothing was removed before sharing.';
}

let sharedPayload = null;
async function openSharedLink() {
  if (!looksLikeShare(location.hash)) return;
  stopCurrent();
  setStatus('Opening the shared link…', true);
  const opened = await decodeShare(location.hash);
  if (!opened.ok) {
    sharedPayload = null;
    ui.sharedBanner.hidden = true;
    view.notice('error', opened.problem.title, opened.problem.text);
    setStatus('');
    return;
  }
  const payload = opened.payload;
  sharedPayload = payload;
  useText();
  ui.input.value = payload.input;
  const when = new Date(payload.now_unix * 1000);
  const snap = payload.snapshot;
  ui.sharedText.textContent = `${describeRedaction(payload.redaction)} ` + (snap ?
    `DNS as checked at ${when.toLocaleString()}${snap.resolver ? ` through ${snap.resolver}` : ''} ` +
      `(${snap.answers.length} answers recorded).` :
    'No DNS answers were included; live checks follow your settings.');
  ui.sharedBanner.hidden = false;
  ui.recheck.hidden = !snap;
  await diagnose({nowUnix: payload.now_unix, snapshot: snap});
}

ui.recheck.addEventListener('click', () => {
  if (!sharedPayload) return;
  ui.sharedText.textContent = `${describeRedaction(sharedPayload.redaction)} ` +
      `Checked live just now through ${resolverLabel(settings.resolver)}.`;
  ui.recheck.hidden = true;
  diagnose({nowUnix: 0, snapshot: null});
});
window.addEventListener('hashchange', () => {
  if (looksLikeShare(location.hash)) openSharedLink();
});

// --- start -----------------------------------------------------------------

// The service worker keeps the page's files for offline use. Under Trusted
// Types its URL must come from a policy; this one vouches for nothing else.
function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  let url = 'sw.js';
  if (window.trustedTypes && window.trustedTypes.createPolicy) {
    const swPolicy = window.trustedTypes.createPolicy('bouncedx-sw', {
      createScriptURL(value) {
        if (value !== 'sw.js') throw new TypeError('bouncedx: only sw.js may be a script URL');
        return value;
      },
    });
    url = swPolicy.createScriptURL('sw.js');
  }
  navigator.serviceWorker.register(url).catch(() => {
    // No offline copy (private window, file: URL): the page works online.
  });
}

if (looksLikeShare(location.hash)) {
  openSharedLink();
}
// Load the engine at once (in its worker, beside the page's own loading),
// so that the first paste is answered at once; the mark lets benchmarks see
// when the page is ready. The service worker waits for the page's load.
loadEngine().then(() => performance.mark('bouncedx-ready'), () => {});
window.addEventListener('load', registerServiceWorker);
