// SPDX-License-Identifier: MIT
// The page's settings: whether DNS checks run, which DNS-over-HTTPS resolver
// answers them, and an optional Spamhaus DQS key.
//
// Settings live in localStorage. Two URL parameters override them for one
// page load without being saved (so a link cannot change someone's choice
// for good): `?dns=off` turns the checks off, `?resolver=<url>` picks the
// resolver (the browser tests point it at a loopback resolver this way).
//
// Which hosts the page may contact is fixed by the Content-Security-Policy in
// index.html, and a <meta> policy cannot be widened after the page loaded. A
// custom resolver therefore works only when its origin is allowed there:
// the three public resolvers below and http://127.0.0.1 / http://localhost
// are. Whoever hosts bouncedx and wants another resolver adds its origin to
// connect-src. cspAllowsUrl() lets the page tell the person so up front
// instead of failing every check with a network error.

import {checkEndpoint} from './doh.js';

export const RESOLVERS = Object.freeze([
  {id: 'cloudflare', label: 'Cloudflare', url: 'https://cloudflare-dns.com/dns-query'},
  {id: 'google', label: 'Google', url: 'https://dns.google/dns-query'},
  {id: 'quad9', label: 'Quad9', url: 'https://dns.quad9.net/dns-query'},
]);
export const DEFAULT_RESOLVER = RESOLVERS[0].url;

const KEYS = Object.freeze({
  dnsChecks: 'bouncedx.dnsChecks',
  resolver: 'bouncedx.resolver',
  dqsKey: 'bouncedx.spamhausDqsKey',
});

function storageGet(storage, key) {
  try {
    return storage ? storage.getItem(key) : null;
  } catch {
    return null;  // storage disabled by the browser
  }
}

function storageSet(storage, key, value) {
  try {
    if (!storage) return;
    if (value === null || value === '') storage.removeItem(key);
    else storage.setItem(key, value);
  } catch {
    // Storage full or disabled: the setting lasts for this page only.
  }
}

// Returns the resolver entry whose URL is `url`, or null for a custom one.
export function knownResolver(url) {
  return RESOLVERS.find((r) => r.url === url) || null;
}

// A DQS key is 26 lower-case letters and digits; anything else is dropped so
// that it can never change the shape of a DNS name.
export function cleanDqsKey(text) {
  const key = String(text || '').trim().toLowerCase();
  return /^[a-z0-9]{10,64}$/.test(key) ? key : '';
}

// Reads the settings from `storage` (a Storage or null) and the page's
// query string `search` ("?dns=off&resolver=..."). Returns
//   {dnsChecks, resolver, dqsKey, overrides: [...], problems: [...]}
// where overrides names the settings a URL parameter decided and problems
// lists texts for people about values that were ignored.
export function readSettings(storage, search) {
  const params = new URLSearchParams(search || '');
  const problems = [];
  const overrides = [];

  let dnsChecks = storageGet(storage, KEYS.dnsChecks) !== 'off';
  const dnsParam = params.get('dns');
  if (dnsParam !== null) {
    overrides.push('dns');
    dnsChecks = !['off', '0', 'false', 'no'].includes(dnsParam.toLowerCase());
  }

  let resolver = DEFAULT_RESOLVER;
  const stored = storageGet(storage, KEYS.resolver);
  if (stored) {
    const checked = checkEndpoint(stored);
    if (checked.ok) resolver = checked.url;
  }
  const resolverParam = params.get('resolver');
  if (resolverParam !== null) {
    const checked = checkEndpoint(resolverParam);
    if (checked.ok) {
      resolver = checked.url;
      overrides.push('resolver');
    } else {
      problems.push(`${checked.reason}; using ${resolver}`);
    }
  }

  const dqsKey = cleanDqsKey(storageGet(storage, KEYS.dqsKey));
  return {dnsChecks, resolver, dqsKey, overrides, problems};
}

// Saves the settings a person chose in the settings panel.
export function saveSettings(storage, {dnsChecks, resolver, dqsKey}) {
  storageSet(storage, KEYS.dnsChecks, dnsChecks ? null : 'off');
  storageSet(storage, KEYS.resolver, resolver === DEFAULT_RESOLVER ? null : resolver);
  storageSet(storage, KEYS.dqsKey, cleanDqsKey(dqsKey) || null);
}

// Returns the source expressions of the connect-src directive of a
// Content-Security-Policy text (falling back to default-src), or null when
// neither is present (everything allowed).
export function cspConnectSources(policy) {
  const directives = new Map();
  for (const part of String(policy || '').split(';')) {
    const tokens = part.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    const name = tokens[0].toLowerCase();
    if (!directives.has(name)) directives.set(name, tokens.slice(1));
  }
  return directives.get('connect-src') || directives.get('default-src') || null;
}

function hostMatches(pattern, host) {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

function defaultPort(scheme) {
  return scheme === 'https:' ? '443' : scheme === 'http:' ? '80' : '';
}

// Returns true when the policy text `policy` lets a page at `pageOrigin`
// fetch `target`. Understands 'self', 'none', scheme sources ("https:") and
// host sources with optional scheme, wildcard host prefix, port or "*" port,
// and path prefix — the subset a page like this one uses.
export function cspAllowsUrl(policy, pageOrigin, target) {
  const sources = cspConnectSources(policy);
  if (sources === null) return true;
  let url;
  let page;
  try {
    url = new URL(target);
    page = new URL(pageOrigin);
  } catch {
    return false;
  }
  const port = url.port || defaultPort(url.protocol);
  for (const raw of sources) {
    const source = raw.toLowerCase();
    if (source === "'none'") continue;
    if (source === "'self'") {
      if (url.origin === page.origin) return true;
      continue;
    }
    if (source.startsWith("'")) continue;
    if (/^[a-z][a-z0-9+.-]*:$/.test(source)) {
      if (url.protocol === source) return true;
      continue;
    }
    const match = /^(?:([a-z][a-z0-9+.-]*:)\/\/)?(\*\.[^/:]+|[^/:]+|\[[^\]]+\])(?::(\*|\d+))?(\/.*)?$/
        .exec(source);
    if (!match) continue;
    const [, scheme, host, sourcePort, path] = match;
    if (scheme && scheme !== url.protocol) continue;
    if (!scheme && url.protocol !== page.protocol &&
        !(page.protocol === 'http:' && url.protocol === 'https:')) {
      continue;
    }
    if (!hostMatches(host, url.hostname)) continue;
    if (sourcePort !== '*' &&
        (sourcePort || defaultPort(scheme || url.protocol)) !== port) {
      continue;
    }
    if (path && path !== '/') {
      if (path.endsWith('/') ? !url.pathname.startsWith(path) : url.pathname !== path) {
        continue;
      }
    }
    return true;
  }
  return false;
}
