// SPDX-License-Identifier: MIT
// Helpers for the browser tests: serve the built page on a free loopback
// port with scripts/serve, launch Debian's Chromium through playwright-core
// with a fresh profile, and watch every request the page makes.
//
// The page under test is build/site (made by `scripts/build all`);
// BOUNCEDX_SITE_DIR points elsewhere. CHROMIUM_PATH overrides the browser.

import {execFile, spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

import {chromium} from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SITE_DIR = process.env.BOUNCEDX_SITE_DIR || path.join(ROOT, 'build', 'site');
export const SCREENSHOT_DIR = path.join(ROOT, 'build', 'e2e-screenshots');

const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Starts scripts/serve on a free port. Resolves with {url, stop}.
export function startServer(dir = SITE_DIR) {
  if (!existsSync(path.join(dir, 'index.html')) ||
      !existsSync(path.join(dir, 'gen', 'bouncedx_wasm.wasm'))) {
    throw new Error(`e2e: ${dir} has no built page; run scripts/build all first`);
  }
  const child = spawn(path.join(ROOT, 'scripts', 'serve'), ['--port', '0', '--dir', dir],
                      {stdio: ['ignore', 'pipe', 'pipe']});
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`e2e: scripts/serve did not start: ${output}`));
    }, 10000);
    const onData = (chunk) => {
      output += chunk;
      const match = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url: match[1],
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`e2e: scripts/serve exited with ${code}: ${output}`));
    });
  });
}

// Launches Chromium with a throw-away profile. Resolves with {context,
// close}. `args` adds command-line switches (a network log, for one).
export async function launchBrowser({args = []} = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'bouncedx-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...args],
    headless: true,
    viewport: {width: 1200, height: 900},
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, {recursive: true, force: true});
    },
  };
}

// Opens a new page at `url` in `context` and records every request to a
// host other than `allowedOrigin`, every page error and console error.
// Returns {page, foreign, errors}.
export async function openPage(context, url, allowedOrigin, options = {}) {
  const page = await context.newPage();
  if (options.viewport) await page.setViewportSize(options.viewport);
  if (options.colorScheme) await page.emulateMedia({colorScheme: options.colorScheme});
  const foreign = [];
  const errors = [];
  page.on('request', (request) => {
    const requestUrl = request.url();
    if (!requestUrl.startsWith(allowedOrigin) && !requestUrl.startsWith('data:')) {
      foreign.push(requestUrl);
    }
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return {page, foreign, errors};
}

// Saves a full-page screenshot as build/e2e-screenshots/NAME.png.
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, {recursive: true});
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  return file;
}

// Waits until the diagnosis of the current input has settled: a report or
// a notice is shown and the status says no work is left.
export async function waitForResult(page) {
  await page.waitForSelector('#report [data-section="verdict"], #report [data-section="notice"]');
  await page.waitForFunction(() => !document.getElementById('status').classList.contains('busy'));
}

// Starts the loopback DNS-over-HTTPS stack (scripts/dns-stack). Resolves
// with {dohUrl, stop}.
export async function startStack(extra = []) {
  const run = promisify(execFile);
  const stack = path.join(ROOT, 'scripts', 'dns-stack');
  const {stdout} = await run(stack, ['start', ...extra], {timeout: 60000});
  const values = Object.fromEntries(stdout.trim().split('\n')
      .map((line) => line.split('=')).map(([k, ...v]) => [k, v.join('=')]));
  return {
    dohUrl: values.DOH_URL,
    stop: () => run(stack, ['stop', '--dir', values.STACK_DIR], {timeout: 30000}),
  };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Runs axe-core (WCAG 2.0/2.1 A and AA rules and best practices) on the
// page as it is. Resolves with the violations of impact serious or
// critical, as short strings for an assertion message.
export async function seriousA11yViolations(page) {
  // Evaluated through the DevTools protocol, so the page's
  // Content-Security-Policy (which forbids inline script) does not apply.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    });
    return result.violations.map((v) => ({id: v.id, impact: v.impact,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' '))}));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.targets.join(' | ')}`);
}
