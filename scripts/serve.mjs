// SPDX-License-Identifier: MIT
// A small static file server for the built page, on 127.0.0.1 only.
//
//   node scripts/serve.mjs [--port N] [--dir DIR]
//
// Port 0 picks a free port. Prints one line, "serving DIR at http://127.0.0.1:PORT/",
// once it listens (tests read it). Serves GET and HEAD of files under DIR,
// with the media types a browser needs for ES modules and WebAssembly
// (instantiateStreaming insists on application/wasm). Responses carry an
// ETag and must be revalidated before reuse (Cache-Control: no-cache), so a
// rebuild shows at once while a file the browser already holds, such as the
// module the service worker caches on a first visit right after the page
// loaded it, costs a 304 instead of a second download. Refuses paths outside DIR, dotfiles and symlinks
// leading out. A file with a precompressed sibling FILE.gz (scripts/build
// site writes them) is sent as that, with Content-Encoding: gzip, to clients
// that accept gzip.

import {createReadStream} from 'node:fs';
import {realpath, stat} from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.eml': 'message/rfc822',
  '.map': 'application/json; charset=utf-8',
};

function usage(code) {
  (code === 0 ? process.stdout : process.stderr)
      .write('usage: scripts/serve [--port N] [--dir DIR]\n');
  process.exit(code);
}

function parseArgs(argv) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const args = {port: 8000, dir: path.join(here, '..', 'build', 'site')};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') usage(0);
    else if (arg === '--port' && i + 1 < argv.length) args.port = Number(argv[++i]);
    else if (arg === '--dir' && i + 1 < argv.length) args.dir = argv[++i];
    else usage(2);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) usage(2);
  return args;
}

function send(response, status, text) {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  response.end(`${status} ${text}\n`);
}

async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const parts = decoded.split('/').filter(Boolean);
  if (parts.some((p) => p.startsWith('.'))) return null;  // also stops ".."
  const file = path.join(root, ...parts);
  const info = await stat(file).catch(() => null);
  return fileInside(root, info && info.isDirectory() ? path.join(file, 'index.html') : file);
}

// {file (its real path), size, tag (an ETag)} when `file` is a regular file
// whose real path lies inside `root` (no symlink leading out), else null.
async function fileInside(root, file) {
  const info = await stat(file).catch(() => null);
  if (!info || !info.isFile()) return null;
  const real = await realpath(file).catch(() => null);
  if (!real || (real !== root && !real.startsWith(root + path.sep))) return null;
  return {file: real, size: info.size, tag: `"${info.size.toString(36)}-${info.mtimeMs.toString(36)}"`};
}

// Whether an Accept-Encoding header admits gzip (not with q=0).
function acceptsGzip(header) {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';').map((x) => x.trim());
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const root = await realpath(path.resolve(args.dir)).catch(() => null);
  if (!root) {
    process.stderr.write(`serve: ${args.dir}: no such directory (run scripts/build first)\n`);
    process.exit(1);
  }
  const server = http.createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'method not allowed');
      return;
    }
    const urlPath = new URL(request.url, 'http://127.0.0.1').pathname;
    const found = await resolveFile(root, urlPath);
    if (!found) {
      send(response, 404, 'not found');
      return;
    }
    const type = TYPES[path.extname(found.file).toLowerCase()] || 'application/octet-stream';
    // The precompressed sibling written by scripts/build site, if any.
    const gzip = acceptsGzip(request.headers['accept-encoding']) ?
        await fileInside(root, `${found.file}.gz`) : null;
    const body = gzip || found;
    const etag = body === gzip ? `"gz-${body.tag.slice(1)}` : body.tag;
    const validators = {
      'etag': etag,
      'vary': 'accept-encoding',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    const held = request.headers['if-none-match'];
    if (held && held.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      response.writeHead(304, validators);
      response.end();
      return;
    }
    response.writeHead(200, {
      'content-type': type,
      'content-length': body.size,
      ...(body === gzip ? {'content-encoding': 'gzip'} : {}),
      ...validators,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(body.file).on('error', () => response.destroy()).pipe(response);
  });
  server.on('error', (error) => {
    process.stderr.write(`serve: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(args.port, '127.0.0.1', () => {
    const {port} = server.address();
    process.stdout.write(`serving ${root} at http://127.0.0.1:${port}/\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
