// SPDX-License-Identifier: MIT
// Service worker: keeps the page's own files so that bouncedx opens and
// diagnoses with no network once it has been loaded. It only ever touches
// requests for the page's own origin; DNS-over-HTTPS requests to the
// resolver pass by untouched (and, offline, fail: the checks then end in
// "not checked" while the offline verdict stays).
//
// Strategy: network first, cache as fallback. Online, a page fetched fresh
// is exactly what the server has (a new release shows at once); every
// successful answer refreshes the cache; offline, the cached copy answers.

const CACHE = 'bouncedx-v2';
// Every file of build/site (tests/web checks this list against web/).
const FILES = [
  './',
  'index.html',
  'style.css',
  'icon.svg',
  'app.js',
  'doh.js',
  'engine-session.js',
  'engine-worker.js',
  'engine.js',
  'evidence.js',
  'examples.js',
  'render.js',
  'settings.js',
  'share.js',
  'timeline.js',
  'gen/bouncedx_wasm.js',
  'gen/bouncedx_wasm.wasm',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;  // the resolver: not ours
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (error) {
      // The fragment never reaches here; query strings (?dns=off) do, so a
      // page URL with a query still finds the cached page.
      const cached = await cache.match(request, {ignoreSearch: true});
      if (cached) return cached;
      throw error;
    }
  })());
});
