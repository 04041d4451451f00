// SPDX-License-Identifier: MIT
// The numbers behind scripts/bench-web. Prints a table; targets from the
// page's issue: whole site under 400 KiB gzip, ready under 300 ms on
// loopback, a one-line verdict under 10 ms, a 5 MiB NDR under 300 ms.
//
//   node tests/bench/web/bench.mjs [--runs N]
//
// "ready" is the page's own performance mark "bouncedx-ready" (app.js sets
// it once the WebAssembly engine is loaded), measured from navigation
// start. Paste-to-verdict is timed inside the page around the engine call
// that produces the first report (runDiagnosis, DNS off), median of N runs;
// the "with render" figure adds drawing the report into the page.

import {existsSync, readFileSync, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {gzipSync} from 'node:zlib';

import {SITE_DIR, launchBrowser, startServer} from '../../e2e/harness.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;

function filesUnder(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

// A 5 MiB non-delivery report: a Postfix DSN whose returned message carries
// a large base64 attachment, as real ones do.
function bigNdr() {
  const lines = [
    'From: MAILER-DAEMON@mail.example.com (Mail Delivery System)',
    'To: alice@example.com',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    '<bob@example.org>: host mx.example.org[198.51.100.7] said: 554 5.7.1',
    '    Service unavailable; Client host [203.0.113.5] blocked using',
    '    zen.spamhaus.org (in reply to RCPT TO command)',
    '',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mail.example.com',
    '',
    'Final-Recipient: rfc822; bob@example.org',
    'Action: failed',
    'Status: 5.7.1',
    'Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked',
    '',
    '--B',
    'Content-Type: message/rfc822',
    '',
    'From: Alice <alice@example.com>',
    'To: Bob <bob@example.org>',
    'Subject: Report',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="C"',
    '',
    '--C',
    'Content-Type: application/pdf; name="report.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
  ];
  const row = 'JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+';
  let text = lines.join('\n') + '\n';
  const target = 5 * 1024 * 1024;
  const body = [];
  while (text.length + body.length * (row.length + 1) < target - 20) body.push(row);
  return `${text}${body.join('\n')}\n--C--\n--B--\n`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  // Sizes: per file of build/site, as served (its precompressed .gz from
  // scripts/build site when there is one, as scripts/serve sends it to a
  // browser) and gzipped at -9 on the fly (what a server compressing each
  // response would send).
  const files = filesUnder(SITE_DIR).filter((file) => !file.endsWith('.gz')).sort();
  let served = 0;
  let onTheFly = 0;
  let totalRaw = 0;
  console.log('Transferred size per file of build/site: as served (precompressed gzip), ' +
              'gzip -9 on the fly, raw:');
  for (const file of files) {
    const raw = readFileSync(path.join(SITE_DIR, file));
    const gz = gzipSync(raw, {level: 9}).length;
    const precompressed = path.join(SITE_DIR, `${file}.gz`);
    const sent = existsSync(precompressed) ? statSync(precompressed).size : raw.length;
    served += sent;
    onTheFly += gz;
    totalRaw += raw.length;
    console.log(`  ${file.padEnd(26)} ${kib(sent).padStart(10)} ${kib(gz).padStart(10)}` +
                ` ${kib(raw.length).padStart(10)}`);
  }
  console.log(`  ${'total'.padEnd(26)} ${kib(served).padStart(10)} ${kib(onTheFly).padStart(10)}` +
              ` ${kib(totalRaw).padStart(10)}`);
  console.log(`  target < 400 KiB gzip: as served ${served < 400 * 1024 ? 'met' : 'NOT met'}, ` +
              `gzip -9 on the fly ${onTheFly < 400 * 1024 ? 'met' : 'NOT met'}`);

  const server = await startServer();
  const browser = await launchBrowser();
  try {
    // What Chromium received, response bodies as encoded on the wire, for a
    // first visit (no service worker yet) until the engine is ready; the
    // worker's requests (glue and module) included.
    {
      const probe = await launchBrowser();
      const responses = [];
      probe.context.on('response', (response) => responses.push(response));
      const page = await probe.context.newPage();
      await page.goto(`${server.url}?dns=off`);
      await page.waitForFunction(() => performance.getEntriesByName('bouncedx-ready').length > 0,
                                 null, {timeout: 20000});
      await page.waitForTimeout(500);
      let wire = 0;
      const seen = [];
      for (const response of responses) {
        const sizes = await response.request().sizes();
        wire += sizes.responseBodySize;
        seen.push(new URL(response.url()).pathname);
      }
      console.log(`Received by Chromium on a first visit: ${kib(wire)} of response bodies in ` +
                  `${responses.length} responses (${seen.includes('/gen/bouncedx_wasm.wasm') ?
                      'module included' : 'MODULE NOT SEEN'})`);
      await probe.close();
    }

    // Navigation to ready, a fresh page (no service worker yet) each time.
    const readies = [];
    const loaded = [];
    const firsts = [];
    for (let i = 0; i < Math.min(runs, 10); i++) {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}?dns=off`);
      await page.waitForFunction(() => performance.getEntriesByName('bouncedx-ready').length > 0,
                                 null, {timeout: 20000});
      const t = await page.evaluate(() => ({
        ready: performance.getEntriesByName('bouncedx-ready')[0].startTime,
        dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
      }));
      readies.push(t.ready);
      loaded.push(t.dcl);
      // A person's first paste, a second after the page is ready.
      firsts.push(await page.evaluate(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const {runDiagnosis} = await import('./engine.js');
        const bytes = new TextEncoder().encode('550 5.7.1 Service unavailable; client host blocked');
        const t0 = performance.now();
        let t1 = 0;
        await runDiagnosis(bytes, {now_unix: 1700000000, dns_checks: false}, {
          lookup: null,
          onReport() {
            if (!t1) t1 = performance.now();
          },
        });
        return t1 - t0;
      }));
      await page.close();
    }
    console.log(`\nNavigation to DOMContentLoaded: median ${median(loaded).toFixed(1)} ms`);
    console.log(`Navigation to ready (engine loaded): median ${median(readies).toFixed(1)} ms` +
                `   target < 300 ms: ${median(readies) < 300 ? 'met' : 'NOT met'}`);
    console.log(`First paste on a fresh page, 1 s after ready: median ${median(firsts).toFixed(1)} ms`);

    const page = await browser.context.newPage();
    await page.goto(`${server.url}?dns=off`);
    await page.waitForFunction(() => performance.getEntriesByName('bouncedx-ready').length > 0);
    const cases = [
      ['one-line bounce', '554 5.7.1 : Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org', 10, runs],
      ['5 MiB NDR', bigNdr(), 300, Math.max(3, Math.min(runs, 7))],
    ];
    console.log('');
    for (const [name, text, target, n] of cases) {
      const result = await page.evaluate(async ({text: input, n: count}) => {
        const {runDiagnosis, engineMemoryBytes} = await import('./engine.js');
        const {createReportView} = await import('./render.js');
        const bytes = new TextEncoder().encode(input);
        const engineOnly = [];
        const withRender = [];
        const root = document.createElement('div');
        document.body.append(root);
        let title = '';
        for (let i = 0; i < count; i++) {
          const view = createReportView(root);
          let t1 = 0;
          let t2 = 0;
          const t0 = performance.now();
          await runDiagnosis(bytes, {now_unix: 1700000000, dns_checks: false}, {
            lookup: null,
            onReport(report) {
              if (t1) return;
              t1 = performance.now();
              view.render(report, bytes, {dnsChecks: false});
              t2 = performance.now();
              title = report.verdict.title;
            },
          });
          engineOnly.push(t1 - t0);
          withRender.push(t2 - t0);
        }
        root.remove();
        return {engineOnly, withRender, heap: await engineMemoryBytes(), bytes: bytes.length, title};
      }, {text, n});
      const m = median(result.engineOnly);
      console.log(`Paste to verdict, ${name} (${kib(result.bytes)}): median ${m.toFixed(2)} ms, ` +
                  `with render ${median(result.withRender).toFixed(2)} ms (${n} runs)` +
                  `   target < ${target} ms: ${m < target ? 'met' : 'NOT met'}`);
      console.log(`  verdict: ${result.title}`);
      console.log(`  WebAssembly heap after: ${(result.heap / (1024 * 1024)).toFixed(1)} MiB`);
    }
    await page.close();
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(`bench-web: ${error.stack || error}`);
  process.exit(1);
});
