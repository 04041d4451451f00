// SPDX-License-Identifier: MIT
// scripts/serve over HTTP: precompressed files for clients that accept
// gzip, the plain file for the others, revalidation by ETag, and nothing
// outside the site folder.

import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {gunzipSync} from 'node:zlib';

import {SITE_DIR, startServer} from './harness.mjs';

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  if (server) await server.stop();
});

// GET `urlPath` with `headers`; resolves {status, headers, body}.
function get(urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(urlPath, server.url), {headers}, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve(
          {status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks)}));
    });
    request.on('error', reject);
  });
}

describe('scripts/serve', () => {
  const module = 'gen/bouncedx_wasm.wasm';
  const raw = () => readFileSync(path.join(SITE_DIR, module));

  test('the build wrote a smaller precompressed module', () => {
    const gz = path.join(SITE_DIR, `${module}.gz`);
    assert.ok(existsSync(gz));
    const packed = readFileSync(gz);
    assert.ok(packed.length < raw().length / 2);
    assert.deepEqual(gunzipSync(packed), raw());
  });

  test('sends the .gz to a client that accepts gzip', async () => {
    const response = await get(`/${module}`, {'accept-encoding': 'gzip, deflate, br'});
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-encoding'], 'gzip');
    assert.equal(response.headers['content-type'], 'application/wasm');
    assert.equal(response.headers.vary, 'accept-encoding');
    assert.deepEqual(response.body, readFileSync(path.join(SITE_DIR, `${module}.gz`)));
    assert.deepEqual(gunzipSync(response.body), raw());
  });

  test('sends the file itself without gzip, or with gzip refused by q=0', async () => {
    for (const headers of [{}, {'accept-encoding': 'identity'}, {'accept-encoding': 'gzip;q=0, br'}]) {
      const response = await get(`/${module}`, headers);
      assert.equal(response.status, 200, JSON.stringify(headers));
      assert.equal(response.headers['content-encoding'], undefined, JSON.stringify(headers));
      assert.deepEqual(response.body, raw(), JSON.stringify(headers));
    }
  });

  test('the page itself is sent precompressed at /', async () => {
    const response = await get('/', {'accept-encoding': 'gzip'});
    assert.equal(response.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(response.body), readFileSync(path.join(SITE_DIR, 'index.html')));
  });

  test('answers 304 to a matching ETag, per encoding', async () => {
    const first = await get(`/${module}`, {'accept-encoding': 'gzip'});
    const etag = first.headers.etag;
    assert.match(etag, /^"gz-/);
    assert.equal(first.headers['cache-control'], 'no-cache');
    const again = await get(`/${module}`, {'accept-encoding': 'gzip', 'if-none-match': etag});
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    // The gzip representation's tag does not validate the plain one.
    const plain = await get(`/${module}`, {'if-none-match': etag});
    assert.equal(plain.status, 200);
    assert.notEqual(plain.headers.etag, etag);
  });

  test('refuses paths outside the site and dotfiles', async () => {
    for (const urlPath of ['/../README.md', '/%2e%2e/README.md', '/.git/config', '/gen/../../x']) {
      const response = await get(urlPath);
      assert.equal(response.status, 404, urlPath);
    }
  });
});
