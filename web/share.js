// SPDX-License-Identifier: MIT
// Share links: the input (and optionally a snapshot of the DNS answers) in
// the URL fragment, which browsers never send to a server.
//
//   const fragment = await encodeShare({input, now_unix, dns_checks, redaction, snapshot});
//   location.hash = fragment;                  // "v1.<base64url of deflate-raw JSON>"
//   const opened = await decodeShare(location.hash);
//   if (opened.ok) restore(opened.payload); else show(opened.problem);
//
// The payload is JSON, compressed with the browser's CompressionStream
// ("deflate-raw", RFC 1951) and written in base64url (RFC 4648 §5). "v1."
// in front names the format, so a later format can be told apart and an
// old page can say it is too old instead of showing nonsense. Decoding
// treats the fragment as hostile: sizes are capped before and while
// inflating (a small link may inflate to gigabytes), and every field is
// checked before use. Pure module: no DOM.

import {base64UrlDecode, base64UrlEncode} from './doh.js';

export const SHARE_VERSION = 1;
const PREFIX = `v${SHARE_VERSION}.`;

export const SHARE_LIMITS = Object.freeze({
  // Chromium accepts URLs up to 2 MB; a fragment over this would be cut by
  // some browser, chat client or ticket system on the way.
  maxFragmentChars: 2_000_000,
  // The JSON after inflating: the engine's input cap (32 MiB) plus room for
  // a snapshot.
  maxJsonBytes: 33 * 1024 * 1024,
  // Recorded DNS answers; the engine asks at most 200 questions
  // (Limits::max_dns_questions).
  maxAnswers: 400,
  // RFC 1035 §4.2.2: a DNS message is at most 65535 bytes.
  maxAnswerBytes: 65535,
});

const FAILURE_KINDS = new Set(['timeout', 'network', 'http_status', 'refused', 'bad_response',
  'cancelled']);

// Text for people when a link cannot be opened: {title, text}.
function problem(title, text) {
  return {ok: false, problem: {title, text}};
}

async function pipeBytes(bytes, stream, maxBytes) {
  const writer = stream.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

// Returns "v1.<data>" for `payload`, or throws an Error whose message says
// why (too long for a link).
export async function encodeShare(payload) {
  const json = new TextEncoder().encode(JSON.stringify(payload));
  const packed = await pipeBytes(json, new CompressionStream('deflate-raw'), Infinity);
  const fragment = PREFIX + base64UrlEncode(packed);
  if (fragment.length > SHARE_LIMITS.maxFragmentChars) {
    throw new Error(`share: the link would be ${Math.ceil(fragment.length / 1024)} KiB, ` +
        `more than the ${Math.floor(SHARE_LIMITS.maxFragmentChars / 1024)} KiB a link can carry`);
  }
  return fragment;
}

// True when `hash` ("#v1....", with or without "#") is meant as a share link.
export function looksLikeShare(hash) {
  return /^#?v\d+\./.test(String(hash || ''));
}

function isInteger(value, min, max) {
  return Number.isInteger(value) && value >= min && value <= max;
}

// Checks the shape of a decoded payload. Returns a clean copy or null.
export function checkPayload(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  if (typeof value.input !== 'string' || value.input.length === 0) return null;
  if (!isInteger(value.now_unix, 0, 2 ** 40)) return null;
  const redaction = value.redaction && typeof value.redaction === 'object' ? value.redaction : {};
  const clean = {
    input: value.input,
    now_unix: value.now_unix,
    dns_checks: value.dns_checks === true,
    redaction: {
      local_parts: redaction.local_parts === true,
      display_names: redaction.display_names === true,
      subjects: redaction.subjects === true,
      message_ids: redaction.message_ids === true,
    },
    snapshot: null,
  };
  if (value.snapshot !== undefined && value.snapshot !== null) {
    const s = value.snapshot;
    if (typeof s !== 'object' || !isInteger(s.at, 0, 2 ** 40) || !Array.isArray(s.answers) ||
        s.answers.length > SHARE_LIMITS.maxAnswers ||
        (s.resolver !== undefined && typeof s.resolver !== 'string')) {
      return null;
    }
    const answers = [];
    for (const a of s.answers) {
      if (!a || typeof a.name !== 'string' || a.name.length > 1024 ||
          !isInteger(a.type, 0, 65535)) {
        return null;
      }
      if (a.ok === true) {
        const bytes = typeof a.dns === 'string' ? base64UrlDecode(a.dns) : null;
        if (!bytes || bytes.length < 12 || bytes.length > SHARE_LIMITS.maxAnswerBytes) return null;
        answers.push({name: a.name, type: a.type, ok: true, bytes});
      } else {
        if (!FAILURE_KINDS.has(a.kind)) return null;
        answers.push({name: a.name, type: a.type, ok: false, kind: a.kind,
                      detail: typeof a.detail === 'string' ? a.detail.slice(0, 300) : ''});
      }
    }
    clean.snapshot = {at: s.at, resolver: (s.resolver || '').slice(0, 200), answers};
  }
  return clean;
}

// Decodes a share fragment. Resolves with {ok: true, payload} or
// {ok: false, problem: {title, text}}; never rejects.
export async function decodeShare(hash) {
  const fragment = String(hash || '').replace(/^#/, '');
  const version = /^v(\d+)\./.exec(fragment);
  if (!version) {
    return problem('This is not a bouncedx link',
        'The part of the address after “#” is not a shared report.');
  }
  if (Number(version[1]) !== SHARE_VERSION) {
    return problem('This link needs a newer bouncedx',
        `It was made in format v${version[1]}; this page reads v${SHARE_VERSION}. ` +
        'Open it on the page that made it, or ask for the text itself.');
  }
  if (fragment.length > SHARE_LIMITS.maxFragmentChars) {
    return problem('This link is too long',
        `It holds ${Math.ceil(fragment.length / 1024)} KiB; bouncedx opens links up to ` +
        `${Math.floor(SHARE_LIMITS.maxFragmentChars / 1024)} KiB.`);
  }
  let body = fragment.slice(version[0].length);
  // A link cut while copying can end one character into a base64 group,
  // which carries no whole byte: drop it, so that the cut reads as an
  // incomplete link (below) rather than a damaged one.
  if (/^[A-Za-z0-9_-]*$/.test(body) && body.length % 4 === 1) body = body.slice(0, -1);
  const packed = base64UrlDecode(body);
  if (!packed || packed.length === 0) {
    return problem('This link is damaged',
        'It holds characters a bouncedx link never has. It was probably changed or cut ' +
        'when it was copied; ask for the link again.');
  }
  let json;
  try {
    json = await pipeBytes(packed, new DecompressionStream('deflate-raw'),
                           SHARE_LIMITS.maxJsonBytes);
  } catch {
    return problem('This link is incomplete',
        'Its data ends too early or is corrupt, most likely because the link was cut ' +
        'when it was copied. Ask for the whole link again.');
  }
  if (json === null) {
    return problem('This link is too large',
        `Its contents unpack to more than ${SHARE_LIMITS.maxJsonBytes / (1024 * 1024)} MiB, ` +
        'more than bouncedx reads.');
  }
  let value;
  try {
    value = JSON.parse(new TextDecoder('utf-8', {fatal: true}).decode(json));
  } catch {
    value = null;
  }
  const payload = checkPayload(value);
  if (!payload) {
    return problem('This link is damaged',
        'It unpacks, but not into a bouncedx report. Ask for the link again.');
  }
  return {ok: true, payload};
}

// A lookup function (see engine.js runDiagnosis) answering from a snapshot:
// each question is matched by name (case-insensitive) and type.
export function replayLookup(snapshot) {
  const byKey = new Map();
  for (const a of snapshot.answers) byKey.set(`${a.name.toLowerCase()}|${a.type}`, a);
  return async (question) => {
    const found = byKey.get(`${String(question.name).toLowerCase()}|${question.type}`);
    if (!found) return {ok: false, kind: 'cancelled', detail: 'share link: this answer was not recorded'};
    return found.ok ? {ok: true, bytes: found.bytes} :
      {ok: false, kind: found.kind, detail: found.detail};
  };
}

// Wraps `lookup` so that every question and its outcome is recorded in
// `answers` (the snapshot format above).
export function recordingLookup(lookup, answers) {
  return async (question) => {
    const outcome = await lookup(question);
    if (outcome.kind !== 'cancelled' && answers.length < SHARE_LIMITS.maxAnswers) {
      answers.push(outcome.ok ?
        {name: question.name, type: question.type, ok: true, dns: base64UrlEncode(outcome.bytes)} :
        {name: question.name, type: question.type, ok: false, kind: outcome.kind,
         detail: outcome.detail || ''});
    }
    return outcome;
  };
}
