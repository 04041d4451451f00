// SPDX-License-Identifier: MIT
// DNS over HTTPS for the page (RFC 8484, GET with ?dns=).
//
// This module knows HTTP and RFC 8484 and nothing about mail: it takes a DNS
// query that is already encoded (base64url wire bytes, as the engine hands
// them out) and returns the raw DNS response bytes, or a failure with a kind
// the engine understands (timeout, network, http_status, bad_response,
// cancelled).
//
//   const session = createDohSession({endpoint: 'https://cloudflare-dns.com/dns-query'});
//   const outcome = await session.query('AAABAAABAAAAAAAAB2V4YW1wbGUDY29tAAABAAE');
//   if (outcome.ok) use(outcome.bytes); else report(outcome.kind, outcome.detail);
//   session.cancel();   // settles every open query with kind "cancelled"
//
// A session bounds how many requests run at once, gives each request a
// timeout and one retry, and has an overall deadline after which every open
// query settles as a timeout. GET with only an Accept header is a CORS
// "simple" request, so the browser sends no preflight.

const MEDIA_TYPE = 'application/dns-message';
// RFC 1035 §4.1.1: a header is 12 bytes; a DNS message never exceeds 65535.
const MIN_MESSAGE_BYTES = 12;
const MAX_MESSAGE_BYTES = 65535;

export const DEFAULT_DOH_LIMITS = Object.freeze({
  concurrency: 6,      // requests in flight at once
  timeoutMs: 5000,     // one HTTP request
  retries: 1,          // extra tries after a timeout, network error or 5xx/429
  retryDelayMs: 250,   // pause before a retry
  deadlineMs: 25000,   // the whole session
});

const BASE64URL =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Encodes bytes as base64url without padding (RFC 4648 §5, RFC 8484 §4.1).
export function base64UrlEncode(bytes) {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += BASE64URL[(n >> 18) & 63] + BASE64URL[(n >> 12) & 63] +
        BASE64URL[(n >> 6) & 63] + BASE64URL[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += BASE64URL[(n >> 18) & 63] + BASE64URL[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += BASE64URL[(n >> 18) & 63] + BASE64URL[(n >> 12) & 63] +
        BASE64URL[(n >> 6) & 63];
  }
  return out;
}

// Decodes unpadded (or padded) base64url. Returns null when `text` holds a
// character outside the alphabet or has an impossible length.
export function base64UrlDecode(text) {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let j = 0;
  for (const ch of clean) {
    const digit = BASE64URL.indexOf(ch);
    if (digit < 0) return null;
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

// Returns true for names that always mean this machine.
function isLoopbackHost(hostname) {
  return hostname === '127.0.0.1' || hostname === 'localhost' ||
      hostname === '[::1]';
}

// Checks a resolver endpoint a person typed. Returns {ok: true, url} with the
// normalised URL, or {ok: false, reason}. Only https: is accepted, except
// plain http: on the loopback address (a local test resolver).
export function checkEndpoint(text) {
  let url;
  try {
    url = new URL(String(text).trim());
  } catch {
    return {ok: false, reason: 'resolver: not a URL'};
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return {ok: false, reason: 'resolver: must start with https://'};
  }
  if (url.username || url.password) {
    return {ok: false, reason: 'resolver: user names and passwords in the URL are not supported'};
  }
  if (url.searchParams.has('dns')) {
    return {ok: false, reason: 'resolver: the URL must not carry its own dns parameter'};
  }
  url.hash = '';
  return {ok: true, url: url.href};
}

// Builds the RFC 8484 GET URL: `endpoint` with ?dns=<dnsParam> appended,
// keeping any query the endpoint already has.
export function buildQueryUrl(endpoint, dnsParam) {
  const url = new URL(endpoint);
  url.searchParams.set('dns', dnsParam);
  return url.href;
}

function hostOf(endpoint) {
  try {
    return new URL(endpoint).host;
  } catch {
    return 'resolver';
  }
}

function seconds(ms) {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}

// Runs one HTTP request. Resolves (never rejects) with an outcome.
async function fetchOnce(fetchFn, url, host, timeoutMs, outerSignal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onOuterAbort = () => controller.abort();
  outerSignal.addEventListener('abort', onOuterAbort, {once: true});
  try {
    const response = await fetchFn(url, {
      method: 'GET',
      headers: {Accept: MEDIA_TYPE},
      signal: controller.signal,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      redirect: 'error',
      mode: 'cors',
    });
    if (!response.ok) {
      return {ok: false, kind: 'http_status', status: response.status,
              detail: `doh: ${host} answered HTTP ${response.status}`};
    }
    const type = (response.headers.get('content-type') || '').toLowerCase();
    if (!type.startsWith(MEDIA_TYPE)) {
      return {ok: false, kind: 'bad_response',
              detail: `doh: ${host} sent ${type || 'no content type'}, not ${MEDIA_TYPE}`};
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length < MIN_MESSAGE_BYTES || bytes.length > MAX_MESSAGE_BYTES) {
      return {ok: false, kind: 'bad_response',
              detail: `doh: ${host} sent ${bytes.length} bytes, not a DNS message`};
    }
    return {ok: true, bytes};
  } catch (error) {
    if (timedOut) {
      return {ok: false, kind: 'timeout',
              detail: `doh: ${host} did not answer within ${seconds(timeoutMs)}`};
    }
    if (outerSignal.aborted) {
      return {ok: false, kind: 'cancelled', detail: 'doh: query cancelled'};
    }
    // Browsers hide the reason on purpose: offline, DNS failure, refused
    // connection, a missing CORS header and a Content-Security-Policy block
    // all look the same from here.
    return {ok: false, kind: 'network',
            detail: `doh: request to ${host} failed (offline, blocked, or no CORS permission)`};
  } finally {
    clearTimeout(timer);
    outerSignal.removeEventListener('abort', onOuterAbort);
  }
}

function isRetryable(outcome) {
  if (outcome.kind === 'timeout' || outcome.kind === 'network') return true;
  return outcome.kind === 'http_status' &&
      (outcome.status === 429 || outcome.status >= 500);
}

function delay(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, {once: true});
  });
}

// Creates a session that sends queries to `endpoint`. `fetchFn` defaults to
// the global fetch (tests pass a fake); `limits` overrides fields of
// DEFAULT_DOH_LIMITS. The deadline clock starts now.
export function createDohSession({endpoint, fetchFn, limits} = {}) {
  const config = {...DEFAULT_DOH_LIMITS, ...(limits || {})};
  const doFetch = fetchFn || ((...args) => globalThis.fetch(...args));
  const host = hostOf(endpoint);
  const controller = new AbortController();  // aborts every request
  const waiting = [];      // jobs not started yet
  const open = new Set();  // every job not settled yet
  let active = 0;
  let closed = null;       // outcome given to every job once closed

  const deadlineTimer = setTimeout(() => {
    close({ok: false, kind: 'timeout',
           detail: `doh: checks stopped after ${seconds(config.deadlineMs)}`});
  }, config.deadlineMs);

  function settle(job, outcome) {
    if (!open.has(job)) return;
    open.delete(job);
    job.resolve(outcome);
  }

  function close(outcome) {
    if (closed) return;
    closed = outcome;
    clearTimeout(deadlineTimer);
    controller.abort();
    for (const job of [...open]) settle(job, outcome);
    waiting.length = 0;
  }

  async function run(job) {
    active++;
    try {
      let outcome;
      for (let attempt = 0; attempt <= config.retries; attempt++) {
        if (attempt > 0) await delay(config.retryDelayMs, controller.signal);
        if (closed) return;
        outcome = await fetchOnce(doFetch, buildQueryUrl(endpoint, job.dnsParam),
                                  host, config.timeoutMs, controller.signal);
        if (closed) return;
        if (outcome.ok || !isRetryable(outcome)) break;
      }
      if (!outcome.ok && outcome.kind === 'timeout' && config.retries > 0) {
        outcome = {...outcome, detail: `${outcome.detail} (${config.retries + 1} tries)`};
      }
      // The HTTP status only steers retries; the detail already names it.
      settle(job, outcome.ok ? outcome
                             : {ok: false, kind: outcome.kind, detail: outcome.detail});
    } finally {
      active--;
      pump();
    }
  }

  function pump() {
    while (!closed && active < config.concurrency && waiting.length > 0) {
      run(waiting.shift());
    }
  }

  return {
    // Sends one query; `dnsParam` is the base64url wire query. Resolves with
    // {ok: true, bytes} or {ok: false, kind, detail}; never rejects.
    query(dnsParam) {
      return new Promise((resolve) => {
        const job = {dnsParam, resolve};
        if (closed) {
          resolve(closed);
          return;
        }
        open.add(job);
        waiting.push(job);
        pump();
      });
    },
    // Settles every open query as cancelled and stops all requests.
    cancel() {
      close({ok: false, kind: 'cancelled', detail: 'doh: checks cancelled'});
    },
    // Frees the deadline timer once the caller needs nothing more.
    finish() {
      close({ok: false, kind: 'cancelled', detail: 'doh: session finished'});
    },
    get active() {
      return active;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
