// SPDX-License-Identifier: MIT
// Report JSON → DOM.
//
// Everything in a report may carry text from the pasted input or from DNS,
// so it is treated as hostile: nodes are built with createElement and filled
// with textContent only (never innerHTML), attributes are set one by one
// from a fixed list, and a URL becomes a link only when it is https:.
// Words for people about a bounce (titles, explanations, fixes, meanings)
// come from the report; this file only adds labels for the report's fields.
//
//   const view = createReportView(document.getElementById('report'));
//   view.render(report, inputBytes);   // again after each DNS answer
//   view.notice('empty', 'Nothing to diagnose', 'paste a bounce ...');
//
// Rendering again keeps what did not change (a section whose data is the
// same is left in place), so open <details>, ticked fix steps and the scroll
// position survive as checks settle.

import {evidenceSegments} from './evidence.js';
import {hopTimeline} from './timeline.js';

// Attributes render code may set. Anything else is a bug.
const ALLOWED_ATTRIBUTES = new Set([
  'class', 'id', 'href', 'rel', 'target', 'title', 'role', 'type', 'scope',
  'aria-label', 'aria-labelledby', 'aria-hidden', 'aria-live', 'data-state',
  'data-span', 'data-section', 'data-who', 'data-check', 'start', 'open',
  'tabindex', 'data-meaning', 'aria-describedby', 'aria-expanded', 'aria-controls',
]);

// Creates an element. `attrs` maps attribute names to strings (null or
// undefined skips one). `children` are nodes or strings; strings become
// text nodes, never markup.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (!ALLOWED_ATTRIBUTES.has(name)) throw new Error(`render: attribute ${name} not allowed`);
    if (name === 'href' && safeHttpsUrl(value) === null) {
      throw new Error('render: href must be https');
    }
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number'
        ? document.createTextNode(String(child)) : child);
  }
  return node;
}

// Returns `url` when it is an absolute https: URL without credentials, else
// null. Only such URLs from a report become links.
export function safeHttpsUrl(url) {
  if (typeof url !== 'string' || !/^https:/i.test(url)) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return null;
    return parsed.href;
  } catch {
    return null;
  }
}

// "40.0 MiB", "812 bytes".
export function formatBytes(n) {
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

// "1 h 5 min", "42 s".
export function formatDuration(seconds) {
  if (!(seconds >= 0)) return '';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const h = Math.floor(seconds / 3600);
  return `${h} h ${Math.floor((seconds % 3600) / 60)} min`;
}

// A class-name fragment from a data id: only [a-z0-9_-] survive.
function token(value) {
  return String(value || '').toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

function humanId(id) {
  return String(id || '').replace(/_/g, ' ');
}

// Labels for the report's enumerations (field names, not knowledge).
export const INPUT_KIND_LABELS = Object.freeze({
  smtp_reply: 'SMTP reply',
  bounce: 'Bounce message',
  headers: 'Message headers',
  text: 'Text',
  empty: 'Empty',
  binary: 'Binary data',
});

const SEVERITY = Object.freeze({
  permanent: {icon: '✕', label: 'Permanent failure'},
  transient: {icon: '↻', label: 'Temporary failure'},
  not_a_failure: {icon: '✓', label: 'Not a failure'},
});

const BASIS_LABELS = Object.freeze({
  signature: 'the wording of a known message',
  enhanced_code: 'the enhanced status code',
  reply_code: 'the reply code',
  dns: 'the DNS checks',
  none: 'nothing specific',
});

export const CHECK_STATES = Object.freeze({
  pending: {icon: '', label: 'Checking'},
  pass: {icon: '✓', label: 'Pass'},
  warn: {icon: '!', label: 'Warning'},
  fail: {icon: '✕', label: 'Fail'},
  info: {icon: 'i', label: 'Info'},
  error: {icon: '?', label: 'Not checked'},
});

function linkNode(link) {
  const href = safeHttpsUrl(link.url);
  const label = link.label || link.url || '';
  if (href === null) {
    // Not https: show it as text so nobody clicks it by accident.
    return el('span', {class: 'link-plain'}, label,
        link.url && link.url !== label ? ` (${link.url})` : '');
  }
  return el('a', {href, rel: 'noopener noreferrer nofollow', target: '_blank'}, label);
}

function linkList(links, className) {
  if (!links || links.length === 0) return null;
  return el('ul', {class: className}, links.map((link) => el('li', null, linkNode(link))));
}

function sectionHeading(id, text, extra) {
  return el('div', {class: 'section-head'}, el('h2', {id}, text), extra || null);
}

function fact(label, value, className) {
  if (value === '' || value === null || value === undefined) return null;
  const key = label.toLowerCase().replace(/[^a-z]+/g, '-');
  return el('div', {class: `fact fact-${key}`}, el('dt', null, label),
      el('dd', className ? {class: className} : null, value));
}

// --- sections --------------------------------------------------------------

function verdictSection(report) {
  const v = report.verdict;
  const severity = SEVERITY[v.severity] ||
      (v.severity ? {icon: '•', label: humanId(v.severity)} : null);
  const badges = el('div', {class: 'badges'},
      severity ? el('span', {class: `badge severity severity-${token(v.severity)}`},
          el('span', {class: 'badge-icon', 'aria-hidden': 'true'}, severity.icon),
          severity.label) : null,
      v.cause_class ? el('span', {class: 'badge cause-class', title: 'cause class'},
          humanId(v.cause_class)) : null,
      v.confidence ? el('span', {class: `badge confidence confidence-${token(v.confidence)}`},
          `${v.confidence} confidence`) : null);
  const basis = BASIS_LABELS[v.basis] || humanId(v.basis);
  const factList = [
    fact('Provider', v.provider_name),
    v.reporter_name && v.reporter_name !== v.provider_name ?
      fact('Reported by', v.reporter_name) : null,
    fact('Rejecting host', v.rejecting_host, 'mono'),
    fact('Sending IP', report.entities.sending_ip, 'mono'),
    fact('Blocklist', report.entities.blocklist_zone, 'mono'),
  ].filter(Boolean);
  const facts = factList.length > 0 ? el('dl', {class: 'facts'}, factList) : null;
  const basisLine = el('p', {class: 'basis muted small'},
      basis ? `Decided by ${basis}` : null,
      v.signature_id ? [' (', el('span', {class: 'mono'}, v.signature_id), ')'] : null,
      v.cause_id ? [basis ? ' · cause ' : 'Cause ', el('span', {class: 'mono'}, v.cause_id)] : null);
  const notes = [];
  if (v.generic) {
    notes.push(el('p', {class: 'note'},
        el('span', {class: 'note-icon', 'aria-hidden': 'true'}, 'i'),
        el('span', null, 'Decided by the status codes alone: the wording did not match ' +
          'a message bouncedx knows.')));
  }
  if (v.conflicts && v.conflicts.length > 0) {
    notes.push(el('div', {class: 'note note-warn'},
        el('span', {class: 'note-icon', 'aria-hidden': 'true'}, '!'),
        el('div', null, el('strong', null, 'Conflicting signals'),
            el('ul', null, v.conflicts.map((c) => el('li', {class: 'sentence'}, c))))));
  }
  if (v.alternatives && v.alternatives.length > 0) {
    notes.push(el('p', {class: 'alternatives muted'}, 'Also possible: ',
        v.alternatives.map((a, i) => [i > 0 ? ', ' : '', el('span', {class: 'mono'}, a)])));
  }
  const rejecter = v.provider_name || v.rejecting_host;
  const refusal = v.severity !== 'not_a_failure';
  const oneLine = el('p', {class: 'verdict-line'},
      rejecter ? [refusal ? 'Rejected by ' : 'Seen at ', el('strong', null, rejecter)] :
        (refusal ? 'Rejecting server not named in the input' : 'Not a rejection'),
      v.confidence ? [' · ', el('strong', null, v.confidence), ' confidence'] : null,
      v.cause_class ? [' · ', humanId(v.cause_class)] : null);
  return el('section', {class: 'card verdict', 'aria-labelledby': 'verdict-title',
                        'data-section': 'verdict'},
      el('p', {class: 'eyebrow'}, 'Verdict · ',
          INPUT_KIND_LABELS[report.input_kind] || humanId(report.input_kind)),
      el('h2', {id: 'verdict-title', class: 'verdict-title sentence'}, v.title || humanId(v.cause_id)),
      oneLine, badges, facts, notes, basisLine);
}

function fixSection(report, ticks) {
  if (!report.fix || report.fix.length === 0) return null;
  const items = report.fix.map((step, i) => {
    const key = `${step.who}|${step.text}`;
    const box = el('input', {type: 'checkbox', class: 'tick',
                             'aria-label': `Mark step ${i + 1} as done`});
    box.checked = ticks.has(key);
    box.addEventListener('change', () => {
      if (box.checked) ticks.add(key);
      else ticks.delete(key);
    });
    return el('li', {class: 'step', 'data-who': token(step.who)},
        el('div', {class: 'step-head'}, box,
            el('span', {class: `who who-${token(step.who)}`}, step.who_label || humanId(step.who))),
        el('p', {class: 'step-text sentence'}, step.text),
        linkList(step.links, 'step-links'));
  });
  return el('section', {class: 'card fix', 'aria-labelledby': 'fix-title', 'data-section': 'fix'},
      sectionHeading('fix-title', 'What to do'),
      el('ol', {class: 'steps'}, items));
}

function explanationSection(report) {
  const e = report.explanation;
  if (!e.summary && !e.detail) return null;
  return el('section', {class: 'card explanation', 'aria-labelledby': 'why-title',
                        'data-section': 'explanation'},
      sectionHeading('why-title', 'Why it happened'),
      e.summary ? el('p', {class: 'summary sentence'}, e.summary) : null,
      e.detail ? el('div', {class: 'detail'},
          el('h3', null, 'For your mail administrator'),
          el('p', {class: 'sentence'}, e.detail)) : null);
}

// The id of the element holding the meaning of `code` ("5.7.1" ->
// "meaning-5-7-1"); the evidence refers to it with aria-describedby.
export function meaningId(code) {
  return `meaning-${String(code).replace(/[^A-Za-z0-9]/g, '-')}`;
}

// code → meaning, the first one given for each code in the report.
export function codeMeanings(report) {
  const map = new Map();
  for (const r of report.recipients || []) {
    for (const m of r.meanings || []) {
      if (m.code && m.meaning && !map.has(m.code)) map.set(m.code, m.meaning);
    }
  }
  return map;
}

function codeRow(meaning, seen) {
  const first = !seen.has(meaning.code);
  seen.add(meaning.code);
  return el('div', {class: 'code-row'},
      el('dt', null, el('code', {class: 'code'}, meaning.code)),
      el('dd', null, el('span', {class: 'sentence-inline', id: first ? meaningId(meaning.code) : null},
          meaning.meaning || '—'),
          meaning.note ? el('span', {class: 'code-note'}, meaning.note) : null));
}

function recipientsSection(report) {
  const recipients = report.recipients || [];
  if (recipients.length === 0) return null;
  const seen = new Set();
  const cards = recipients.map((r) => el('article', {class: 'recipient'},
      el('div', {class: 'recipient-head'},
          el('span', {class: 'recipient-address mono'}, r.address || 'Recipient not named'),
          r.action ? el('span', {class: `badge action action-${token(r.action)}`}, r.action) : null),
      r.meanings && r.meanings.length > 0 ?
        el('dl', {class: 'codes'}, r.meanings.map((m) => codeRow(m, seen))) : null,
      r.diagnostic ? el('pre', {class: 'diagnostic'}, r.diagnostic) : null,
      el('dl', {class: 'facts facts-small'},
          fact('Remote server', r.remote_mta, 'mono'),
          fact('After command', r.last_command, 'mono'),
          r.cause_id && r.cause_id !== report.verdict.cause_id ?
            fact('Cause for this recipient', r.cause_id, 'mono') : null)));
  return el('section', {class: 'card recipients', 'aria-labelledby': 'codes-title',
                        'data-section': 'recipients'},
      sectionHeading('codes-title', recipients.length > 1 ?
        `Status codes · ${recipients.length} recipients` : 'Status codes'),
      cards);
}

// Splits `text` where a status code of the report appears, wrapping each in
// a focusable element that shows the code's meaning on hover and focus and
// points screen readers at it. `budget.left` caps how many are made.
export function withCodeRefs(text, meanings, budget) {
  if (meanings.size === 0 || budget.left <= 0) return [text];
  const codes = [...meanings.keys()].sort((a, b) => b.length - a.length)
      .map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\w.])(?:${codes.join('|')})(?![\\w]|\\.\\d)`, 'g');
  const out = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (budget.left <= 0) break;
    budget.left--;
    if (match.index > last) out.push(text.slice(last, match.index));
    const code = match[0];
    out.push(el('span', {class: 'code-ref', tabindex: '0', 'data-meaning': meanings.get(code),
                         'aria-describedby': meaningId(code)}, code));
    last = match.index + code.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function evidenceSection(report, bytes) {
  const evidence = report.evidence || [];
  if (!bytes || bytes.length === 0 || report.input_kind === 'binary') return null;
  const segments = evidenceSegments(bytes, evidence);
  const meanings = codeMeanings(report);
  const budget = {left: 200};
  const pre = el('pre', {class: 'evidence-text'});
  const isDecisive = (i) => evidence[i].cause_id && evidence[i].cause_id === report.verdict.cause_id;
  // Touching and overlapping spans share one <mark>; inside it each range is
  // a <span> naming the spans that cover it, so a phrase reads as one
  // highlight.
  let group = null;
  let groupSpans = null;
  const closeGroup = () => {
    if (!group) return;
    const spans = [...groupSpans].sort((a, b) => a - b);
    group.className = spans.some(isDecisive) ? 'decisive' : 'supporting';
    group.title = [...new Set(spans.map((i) => evidence[i].signal))].join(', ');
    group.setAttribute('data-span', spans.join(' '));
    group = null;
  };
  for (const s of segments) {
    if (s.kind === 'mark') {
      if (!group) {
        group = el('mark');
        groupSpans = new Set();
        pre.append(group);
      }
      for (const i of s.spans) groupSpans.add(i);
      group.append(el('span', {'data-span': s.spans.join(' ')},
          withCodeRefs(s.text, meanings, budget)));
      continue;
    }
    closeGroup();
    if (s.kind === 'text') {
      append(pre, withCodeRefs(s.text, meanings, budget));
    } else {
      pre.append(el('span', {class: 'gap'}, `\n… ${formatBytes(s.bytes)} not shown …\n`));
    }
  }
  closeGroup();
  const legend = evidence.length === 0 ? el('p', {class: 'muted'}, 'Nothing in the input was highlighted.') :
    el('ul', {class: 'legend'}, evidence.map((span) => el('li', null,
        el('span', {class: `swatch ${span.cause_id && span.cause_id === report.verdict.cause_id ?
          'decisive' : 'supporting'}`, 'aria-hidden': 'true'}),
        el('span', {class: 'mono legend-signal'}, span.signal),
        el('span', {class: 'legend-text'}, span.text))));
  return el('section', {class: 'card evidence', 'aria-labelledby': 'evidence-title',
                        'data-section': 'evidence'},
      sectionHeading('evidence-title', 'Evidence'),
      el('p', {class: 'muted small'},
          'The parts of your input that decided the verdict are highlighted. ' +
          'Hover over or tab to a status code to see what it means.'),
      // Focusable, so that a keyboard can scroll a long input.
      el('div', {class: 'evidence-box', tabindex: '0', role: 'region',
                 'aria-label': 'Your input, evidence highlighted'}, pre), legend);
}

function checkItem(check) {
  const state = CHECK_STATES[check.state] || {icon: '•', label: humanId(check.state)};
  const more = [];
  if (check.details && check.details.length > 0) {
    more.push(el('ul', {class: 'check-details'}, check.details.map((d) => el('li', null, d))));
  }
  if (check.records && check.records.length > 0) {
    more.push(el('div', {class: 'table-wrap'}, el('table', {class: 'records'},
        el('thead', null, el('tr', null, ['Name', 'Type', 'TTL', 'Data'].map((h) =>
          el('th', {scope: 'col'}, h)))),
        el('tbody', null, check.records.map((r) => el('tr', null,
            el('td', {class: 'mono'}, r.name), el('td', {class: 'mono'}, r.type),
            el('td', {class: 'mono num'}, String(r.ttl)), el('td', {class: 'mono'}, r.data)))))));
  }
  return el('li', {class: `check state-${token(check.state)}`, 'data-state': token(check.state),
                   'data-check': check.id},
      el('span', {class: 'check-icon', 'aria-hidden': 'true'}, state.icon),
      el('div', {class: 'check-body'},
          el('div', {class: 'check-line'},
              el('span', {class: 'check-state'}, state.label),
              el('span', {class: 'check-id mono'}, check.id),
              check.subject ? el('span', {class: 'check-subject mono'}, check.subject) : null),
          check.summary ? el('p', {class: 'check-summary sentence'}, check.summary) :
            el('p', {class: 'check-summary muted'}, check.state === 'pending' ?
              'Waiting for the DNS answer…' : 'No summary'),
          more.length > 0 ? el('details', {class: 'check-more'},
              el('summary', null, 'Details'), more) : null));
}

function checksSection(report, dnsChecks) {
  const checks = report.checks || [];
  const done = checks.filter((c) => c.state !== 'pending').length;
  let status;
  if (checks.length === 0) {
    status = dnsChecks ? 'No DNS checks apply to this input.' :
      'DNS checks are off. Turn them on in Settings to check the sending IP, blocklists and DNS records live.';
  } else if (done < checks.length) {
    status = `${done} of ${checks.length} checks done…`;
  } else {
    status = `${checks.length} ${checks.length === 1 ? 'check' : 'checks'} done.`;
  }
  return el('section', {class: 'card checks', 'aria-labelledby': 'checks-title',
                        'data-section': 'checks'},
      sectionHeading('checks-title', 'DNS checks'),
      el('p', {class: 'muted small checks-status', role: 'status'}, status),
      checks.length > 0 ? el('ul', {class: 'check-list'}, checks.map(checkItem)) : null);
}

function headersSection(report) {
  const e = report.entities;
  const entityFacts = [
    fact('HELO name', e.helo, 'mono'),
    fact('Envelope sender domain', e.envelope_sender_domain, 'mono'),
    fact('From domain', e.header_from_domain, 'mono'),
    fact('Recipient domain', e.recipient_domain, 'mono'),
    e.dkim && e.dkim.length > 0 ? fact('DKIM signatures',
      e.dkim.map((d, i) => [i > 0 ? ', ' : '', `${d.selector}._domainkey.${d.domain}`]), 'mono') : null,
  ].filter(Boolean);
  const hops = report.hops || [];
  const auth = report.auth_results || [];
  if (entityFacts.length === 0 && hops.length === 0 && auth.length === 0) return null;
  const parts = [sectionHeading('headers-title', 'What the message shows')];
  // The sending IP is in the verdict already; here it joins the HELO name.
  if (e.sending_ip) entityFacts.unshift(fact('Sending IP', e.sending_ip, 'mono'));
  if (entityFacts.length > 0) parts.push(el('dl', {class: 'facts'}, entityFacts));
  if (hops.length > 0) {
    const drawing = hopTimeline(hops);
    if (drawing) {
      parts.push(el('h3', null, 'Where the time went'));
      parts.push(el('div', {class: 'timeline-wrap'}, drawing));
    }
    parts.push(el('h3', null, 'Received path (newest first)'));
    parts.push(el('div', {class: 'table-wrap'}, el('table', {class: 'hops'},
        el('thead', null, el('tr', null, ['#', 'From', 'IP', 'By', 'With', 'Time', 'Delay']
            .map((h) => el('th', {scope: 'col'}, h)))),
        el('tbody', null, hops.map((h, i) => el('tr', {class: h.edge ? 'edge' : null},
            el('td', {class: 'num'}, String(i + 1)),
            el('td', {class: 'mono'}, h.from_helo || h.from_rdns || '—',
                h.from_rdns && h.from_helo && h.from_rdns !== h.from_helo ?
                  el('span', {class: 'muted'}, ` (${h.from_rdns})`) : null,
                h.edge ? el('span', {class: 'badge edge-badge', title: 'the address the recipient saw'},
                  'edge') : null),
            el('td', {class: 'mono'}, h.from_ip || '—'),
            el('td', {class: 'mono'}, h.by || '—'),
            el('td', {class: 'mono'}, h.with || '—'),
            el('td', null, h.time || '—'),
            el('td', {class: 'num'}, h.delay_seconds >= 0 ? formatDuration(h.delay_seconds) : '—')))))));
  }
  if (auth.length > 0) {
    parts.push(el('h3', null, 'Authentication results'));
    parts.push(el('ul', {class: 'auth-list'}, auth.map((a) => el('li', null,
        el('span', {class: 'mono auth-method'}, a.method),
        el('span', {class: `badge auth-result auth-${token(a.result)}`}, a.result),
        a.detail ? el('span', {class: 'mono muted auth-detail'}, a.detail) : null,
        a.authserv_id ? el('span', {class: 'muted small'}, ` by ${a.authserv_id}`) : null))));
  }
  return el('section', {class: 'card headers', 'aria-labelledby': 'headers-title',
                        'data-section': 'headers'}, parts);
}

function warningsSection(report) {
  if (!report.warnings || report.warnings.length === 0) return null;
  return el('section', {class: 'card warnings', 'aria-labelledby': 'warnings-title',
                        'data-section': 'warnings'},
      sectionHeading('warnings-title', 'Warnings'),
      el('ul', {class: 'warning-list'}, report.warnings.map((w) => el('li', null,
          el('span', {class: 'warning-icon', 'aria-hidden': 'true'}, '!'),
          el('span', {class: 'mono'}, w)))));
}

function linksSection(report) {
  if (!report.links || report.links.length === 0) return null;
  return el('section', {class: 'card links', 'aria-labelledby': 'links-title', 'data-section': 'links'},
      sectionHeading('links-title', 'Further reading'),
      linkList(report.links, 'link-list'));
}

function sizeLine(report) {
  const cut = report.analysed_bytes < report.input_bytes;
  return el('p', {class: 'muted small size-line', 'data-section': 'size'},
      `Read ${formatBytes(report.analysed_bytes)}`,
      cut ? ` of ${formatBytes(report.input_bytes)} (the rest was cut; see Warnings)` : '',
      '.');
}

// --- the view --------------------------------------------------------------

// Creates a view that renders into `root`. Returns {render, notice, clear}.
export function createReportView(root) {
  let shown = new Map();   // section key → {data, node}
  const ticks = new Set(); // fix steps ticked, by who|text
  let lastBytes = null;

  function clear() {
    shown = new Map();
    ticks.clear();
    root.replaceChildren();
  }

  // Shows one message instead of a report: kind is 'empty', 'binary',
  // 'too-large', 'error' or 'busy'.
  function notice(kind, title, text) {
    clear();
    const icon = {busy: '', error: '!', 'too-large': '!', binary: '!', empty: 'i'}[kind] ?? 'i';
    root.append(el('section', {class: `card notice notice-${token(kind)}`, role: 'status',
                               'data-section': 'notice'},
        el('span', {class: 'notice-icon', 'aria-hidden': 'true'}, icon),
        el('div', null, el('h2', {class: 'notice-title'}, title),
            text ? el('p', null, text) : null)));
  }

  // Renders `report`, reusing sections whose data did not change. `bytes`
  // is the input the report's offsets point into; `dnsChecks` tells whether
  // live checks were asked for.
  function render(report, bytes, {dnsChecks = true} = {}) {
    if (bytes !== lastBytes) {
      clear();
      lastBytes = bytes;
    }
    const plan = [
      ['verdict', [report.verdict, report.entities.sending_ip, report.entities.blocklist_zone,
                   report.input_kind], () => verdictSection(report)],
      ['fix', report.fix, () => fixSection(report, ticks)],
      ['explanation', report.explanation, () => explanationSection(report)],
      ['recipients', [report.recipients, report.verdict.cause_id], () => recipientsSection(report)],
      ['evidence', [report.evidence, report.verdict.cause_id, report.recipients],
        () => evidenceSection(report, bytes)],
      // Checks come after what does not change as answers arrive, and
      // before what may grow with them (warnings), so nothing above a
      // settling check moves.
      ['headers', [report.entities, report.hops, report.auth_results], () => headersSection(report)],
      ['links', report.links, () => linksSection(report)],
      ['checks', [report.checks, dnsChecks], () => checksSection(report, dnsChecks)],
      ['warnings', report.warnings, () => warningsSection(report)],
      ['size', [report.input_bytes, report.analysed_bytes], () => sizeLine(report)],
    ];
    const next = new Map();
    const nodes = [];
    let freshEvidence = null;
    for (const [key, data, build] of plan) {
      const json = JSON.stringify(data);
      const old = shown.get(key);
      let node;
      if (old && old.json === json) {
        node = old.node;
      } else {
        node = build();
        if (node && old && old.node && key === 'checks') keepOpenDetails(old.node, node);
        if (node && key === 'evidence') freshEvidence = node;
      }
      next.set(key, {json, node});
      if (node) nodes.push(node);
    }
    shown = next;
    // Put nodes in order without detaching the ones already in place.
    const current = [...root.children];
    if (current.length !== nodes.length || current.some((n, i) => n !== nodes[i])) {
      root.replaceChildren(...nodes);
    }
    if (freshEvidence) showFirstMark(freshEvidence);
  }

  return {render, notice, clear};
}

// Scrolls the evidence box (not the page) so that the first highlight that
// decided the verdict, or else the first highlight, is in view.
function showFirstMark(section) {
  const box = section.querySelector('.evidence-box');
  const mark = section.querySelector('mark.decisive') || section.querySelector('mark');
  if (!box || !mark || box.scrollHeight <= box.clientHeight) return;
  box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3);
}

// Carries the open state of a check's <details> over to its new rendering.
function keepOpenDetails(oldNode, newNode) {
  const open = new Set();
  for (const d of oldNode.querySelectorAll('li.check details[open]')) {
    open.add(d.closest('li.check').getAttribute('data-check'));
  }
  for (const li of newNode.querySelectorAll('li.check')) {
    const details = li.querySelector('details');
    if (details && open.has(li.getAttribute('data-check'))) details.open = true;
  }
}
