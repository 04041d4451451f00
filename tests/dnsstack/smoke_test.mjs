#!/usr/bin/env node
// SPDX-License-Identifier: MIT
//
// Smoke test of the loopback DNS test stack (scripts/dns-stack) and of the
// fixture zones in tests/zones/. It starts the stack, asks every scenario of
// tests/zones/README.md through DNS-over-HTTP (fetch and curl), plain UDP and
// TCP, checks the HTTP side (media type, CORS header, POST, errors), starts a
// second stack with --delay-ms and measures the delay, and checks that "stop"
// leaves no process and no directory behind.
//
// usage: node tests/dnsstack/smoke_test.mjs [--verbose]
// Prints one line per failed check (every check with --verbose) and a last
// line "N passed, M failed"; exits 1 when a check failed.

import { execFile, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stackScript = path.join(root, 'scripts/dns-stack');
const verbose = process.argv.includes('--verbose');

// --- results -------------------------------------------------------------------

let passed = 0;
let failed = 0;

function check(label, ok, detail = '') {
  if (ok) {
    passed++;
    if (verbose) console.log(`ok    ${label}`);
  } else {
    failed++;
    console.log(`FAIL  ${label}${detail ? `: ${detail}` : ''}`);
  }
}

function checkEqual(label, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(label, a === e, `got ${a}, want ${e}`);
}

// --- DNS wire format -------------------------------------------------------------

const TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, OPT: 41, ANY: 255 };
const TYPE_NAMES = Object.fromEntries(Object.entries(TYPES).map(([k, v]) => [v, k]));
const RCODES = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

// A query with ID 0 and RD set; with edns, an OPT record offering 4096 bytes.
function encodeQuery(name, type, { edns = false } = {}) {
  const parts = [Buffer.from([0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, edns ? 1 : 0])];
  for (const label of name.replace(/\.$/, '').split('.')) {
    if (label === '') continue;
    parts.push(Buffer.from([label.length]), Buffer.from(label, 'latin1'));
  }
  parts.push(Buffer.from([0, 0, TYPES[type], 0, 1]));
  if (edns) parts.push(Buffer.from([0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]));
  return Buffer.concat(parts);
}

// Reads a possibly compressed name at offset; returns [text, next offset].
// Bytes outside printable ASCII, dots and backslashes inside labels are
// escaped as \DDD, like zone files do.
function readName(buf, offset) {
  const labels = [];
  let next = -1;
  let hops = 0;
  for (;;) {
    const len = buf[offset];
    if (len === undefined) throw new Error('name runs past the message');
    if ((len & 0xc0) === 0xc0) {
      if (++hops > 32) throw new Error('compression loop');
      if (next < 0) next = offset + 2;
      offset = ((len & 0x3f) << 8) | buf[offset + 1];
      continue;
    }
    if (len === 0) {
      offset += 1;
      break;
    }
    let text = '';
    for (const byte of buf.subarray(offset + 1, offset + 1 + len)) {
      const c = String.fromCharCode(byte);
      text += byte > 0x20 && byte < 0x7f && c !== '.' && c !== '\\'
        ? c : `\\${String(byte).padStart(3, '0')}`;
    }
    labels.push(text);
    offset += 1 + len;
  }
  return [labels.length ? `${labels.join('.')}.` : '.', next >= 0 ? next : offset];
}

function decodeRdata(buf, type, start, len) {
  switch (type) {
    case TYPES.A:
      return [...buf.subarray(start, start + 4)].join('.');
    case TYPES.AAAA: {
      const groups = [];
      for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(start + i).toString(16));
      return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
    }
    case TYPES.NS:
    case TYPES.CNAME:
    case TYPES.PTR:
      return readName(buf, start)[0];
    case TYPES.MX:
      return `${buf.readUInt16BE(start)} ${readName(buf, start + 2)[0]}`;
    case TYPES.TXT: {
      const strings = [];
      for (let i = start; i < start + len;) {
        const n = buf[i];
        strings.push(buf.subarray(i + 1, i + 1 + n).toString('latin1'));
        i += 1 + n;
      }
      return strings;
    }
    case TYPES.SOA: {
      const [mname, o1] = readName(buf, start);
      const [rname, o2] = readName(buf, o1);
      return `${mname} ${rname} ${buf.readUInt32BE(o2)}`;
    }
    default:
      return buf.subarray(start, start + len).toString('hex');
  }
}

function decodeMessage(buf) {
  const flags = buf.readUInt16BE(2);
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
  let offset = 12;
  for (let i = 0; i < counts[0]; i++) offset = readName(buf, offset)[1] + 4;
  const sections = [[], [], []];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]; i++) {
      const [name, after] = readName(buf, offset);
      const type = buf.readUInt16BE(after);
      const ttl = buf.readUInt32BE(after + 4);
      const len = buf.readUInt16BE(after + 8);
      const data = decodeRdata(buf, type, after + 10, len);
      sections[s].push({ name, type: TYPE_NAMES[type] ?? String(type), ttl, data });
      offset = after + 10 + len;
    }
  }
  return {
    id: buf.readUInt16BE(0),
    qr: Boolean(flags & 0x8000),
    aa: Boolean(flags & 0x0400),
    tc: Boolean(flags & 0x0200),
    rcode: RCODES[flags & 15] ?? String(flags & 15),
    answers: sections[0],
    authority: sections[1],
    additional: sections[2],
  };
}

// --- transports ----------------------------------------------------------------

function splitAddr(addr) {
  const i = addr.lastIndexOf(':');
  return [addr.slice(0, i), Number(addr.slice(i + 1))];
}

function askUdp(addr, name, type, opts = {}) {
  const [host, port] = splitAddr(addr);
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => { socket.close(); reject(new Error('udp timeout')); }, 5000);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(decodeMessage(msg));
    });
    socket.on('error', (e) => { clearTimeout(timer); socket.close(); reject(e); });
    socket.send(encodeQuery(name, type, opts), port, host);
  });
}

function askTcp(addr, name, type) {
  const [host, port] = splitAddr(addr);
  const query = encodeQuery(name, type);
  const framed = Buffer.concat([Buffer.from([query.length >> 8, query.length & 255]), query]);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('tcp timeout')); }, 5000);
    socket.on('connect', () => socket.write(framed));
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(decodeMessage(data.subarray(2, 2 + data.readUInt16BE(0))));
      }
    });
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

function base64url(buf) {
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function askDoh(url, name, type, { method = 'GET' } = {}) {
  const query = encodeQuery(name, type);
  const response = method === 'GET'
    ? await fetch(`${url}?dns=${base64url(query)}`, { headers: { accept: 'application/dns-message' } })
    : await fetch(url, {
      method: 'POST',
      headers: { accept: 'application/dns-message', 'content-type': 'application/dns-message' },
      body: query,
    });
  const body = Buffer.from(await response.arrayBuffer());
  const result = { status: response.status, headers: response.headers, body };
  if (response.status === 200) result.message = decodeMessage(body);
  return result;
}

// --- the stack ---------------------------------------------------------------------

function runStack(args, timeoutMs = 30000) {
  return new Promise((resolve) => {
    const started = performance.now();
    // execFile resolves only when stdout and stderr close: a daemon that kept
    // them open would hang here, so this also checks that the daemons detach.
    execFile(stackScript, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({
        code: error ? (error.code ?? 1) : 0,
        killed: Boolean(error?.killed),
        stdout,
        stderr,
        ms: performance.now() - started,
      });
    });
  });
}

function parseEnv(text) {
  const env = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  return env;
}

// Live processes (not zombies) whose process group is pgid.
function groupMembers(pgid) {
  const members = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[2] === String(pgid) && fields[0] !== 'Z') members.push(Number(entry));
  }
  return members;
}

// Live processes whose command line contains text (the daemons name their
// configuration file under the stack directory).
function processesMentioning(text) {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state !== 'Z' && cmdline.includes(text)) found.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

function recordedGroups(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.pgid'))
    .map((f) => [f.replace(/\.pgid$/, ''), Number(fs.readFileSync(path.join(dir, f), 'utf8'))]);
}

async function startStack(label, args = []) {
  const result = await runStack(['start', ...args]);
  check(`${label}: start exits 0`, result.code === 0, `${result.code}\n${result.stderr}`);
  const env = parseEnv(result.stdout);
  for (const key of ['DOH_URL', 'DNS_ADDR', 'NSD_ADDR', 'STACK_DIR', 'DELAY_MS']) {
    check(`${label}: start prints ${key}`, key in env, result.stdout);
  }
  check(`${label}: DOH_URL shape`, /^http:\/\/127\.0\.0\.1:\d+\/dns-query$/.test(env.DOH_URL ?? ''), env.DOH_URL);
  check(`${label}: DNS_ADDR shape`, /^127\.0\.0\.1:\d+$/.test(env.DNS_ADDR ?? ''), env.DNS_ADDR);
  return { env, ms: result.ms, ok: result.code === 0 };
}

async function stopStack(label, env) {
  const groups = recordedGroups(env.STACK_DIR);
  check(`${label}: pid records present`, groups.length >= 2, JSON.stringify(groups));
  const result = await runStack(['stop', '--dir', env.STACK_DIR]);
  check(`${label}: stop exits 0`, result.code === 0, result.stderr);
  check(`${label}: stop removes the directory`, !fs.existsSync(env.STACK_DIR));
  for (const [name, pgid] of groups) {
    const left = groupMembers(pgid);
    check(`${label}: no ${name} process left`, left.length === 0, `pids ${left.join(' ')}`);
  }
  const mentioning = processesMentioning(env.STACK_DIR);
  check(`${label}: no process names the stack directory`, mentioning.length === 0, `pids ${mentioning.join(' ')}`);
  return result.ms;
}

// --- expectations ------------------------------------------------------------------

// Answer data for a question, sorted; TXT strings of one record joined.
function answerData(message, type) {
  return message.answers.filter((rr) => rr.type === type)
    .map((rr) => (Array.isArray(rr.data) ? rr.data.join('') : rr.data)).sort();
}

const dkimKey = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1AoVD8XsjovgixcyGLa2UScFScj99h7culGUgXtkKH5wC26dM/xKms9EOh5bgztG2JKR8Rum76OhaQhPTOV5Xg271/vDc+CKT22U2VcNZ47GLxSFYaDxJ6rbvR02HyGz0FpJaLxqa5+bNpdMjcA2EtjvPGJPCjfWbQecy68fatsG5tVTWJn0rwYI5owSRom0klklp2Kevx4kL0kPKXS4kJmnCRe4WMHd60ZTwHdlpKfVsjrZkcqbsKSnKwONptc4ncvZC7Xu0u6MdM5pa/eh7qC3G9Y4OAcj7M0NDVH7KEcLrQ8Sk48idFynepwxn/VYWK/N7CtfdhKL2O91xQ6guwIDAQAB';

// [name, type, rcode, sorted answer data of that type]
const cases = [
  // good
  ['10.2.0.192.in-addr.arpa', 'PTR', 'NOERROR', ['mail.good.example.']],
  ['mail.good.example', 'A', 'NOERROR', ['192.0.2.10']],
  ['mail.good.example', 'AAAA', 'NOERROR', ['2001:db8::10']],
  ['0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa', 'PTR', 'NOERROR', ['mail.good.example.']],
  ['good.example', 'MX', 'NOERROR', ['10 mail.good.example.']],
  ['good.example', 'TXT', 'NOERROR', ['example-site-verification=fixture-not-spf', 'v=spf1 ip4:192.0.2.0/24 -all']],
  ['_dmarc.good.example', 'TXT', 'NOERROR', ['v=DMARC1; p=reject; rua=mailto:dmarc@good.example']],
  ['sel1._domainkey.good.example', 'TXT', 'NOERROR', [`v=DKIM1; k=rsa; p=${dkimKey}`]],
  ['revoked._domainkey.good.example', 'TXT', 'NOERROR', ['v=DKIM1; k=rsa; p=']],
  ['missing._domainkey.good.example', 'TXT', 'NXDOMAIN', []],
  // missing PTR, mismatch, HELO without records, generic PTR
  ['5.113.0.203.in-addr.arpa', 'PTR', 'NXDOMAIN', []],
  ['6.113.0.203.in-addr.arpa', 'PTR', 'NOERROR', ['mail.mismatch.example.']],
  ['mail.mismatch.example', 'A', 'NOERROR', ['203.0.113.99']],
  ['nohost.example', 'A', 'NOERROR', []],
  ['nohost.example', 'AAAA', 'NOERROR', []],
  ['nohost.example', 'MX', 'NOERROR', []],
  ['nxdomain-helo.example', 'A', 'NXDOMAIN', []],
  ['23.100.51.198.in-addr.arpa', 'PTR', 'NOERROR', ['198-51-100-23.dyn.isp.example.']],
  ['198-51-100-23.dyn.isp.example', 'A', 'NOERROR', ['198.51.100.23']],
  // blocklists
  ['2.0.0.127.zen.spamhaus.org', 'A', 'NOERROR', ['127.0.0.10', '127.0.0.2', '127.0.0.4']],
  ['1.0.0.127.zen.spamhaus.org', 'A', 'NXDOMAIN', []],
  ['2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.zen.spamhaus.org', 'A', 'NOERROR', ['127.0.0.2']],
  ['77.100.51.198.zen.spamhaus.org', 'A', 'NOERROR', ['127.0.0.11', '127.0.0.4']],
  ['77.100.51.198.bl.spamcop.net', 'A', 'NOERROR', ['127.0.0.2']],
  ['77.100.51.198.bl.spamcop.net', 'TXT', 'NOERROR', ['Blocked - see https://www.spamcop.net/bl.shtml?198.51.100.77']],
  ['77.100.51.198.b.barracudacentral.org', 'A', 'NXDOMAIN', []],
  ['2.0.0.127.b.barracudacentral.org', 'A', 'NOERROR', ['127.0.0.2']],
  ['2.0.0.127.bl.spamcop.net', 'A', 'NOERROR', ['127.0.0.2']],
  ['10.2.0.192.zen.spamhaus.org', 'A', 'NXDOMAIN', []],
  ['99.100.51.198.zen.spamhaus.org', 'A', 'NOERROR', ['127.255.255.254']],
  ['dbltest.com.dbl.spamhaus.org', 'A', 'NOERROR', ['127.0.1.2']],
  ['spam-domain.example.dbl.spamhaus.org', 'A', 'NOERROR', ['127.0.1.2']],
  ['good.example.dbl.spamhaus.org', 'A', 'NXDOMAIN', []],
  // SPF
  ['spf-fail.example', 'TXT', 'NOERROR', ['v=spf1 ip4:198.51.100.0/28 include:_spf.partner.example -all']],
  ['_spf.partner.example', 'TXT', 'NOERROR', ['v=spf1 ip4:198.51.100.128/26 include:_netblocks.partner.example -all']],
  ['_netblocks.partner.example', 'TXT', 'NOERROR', ['v=spf1 ip6:2001:db8:100::/48 a:relay.partner.example -all']],
  ['relay.partner.example', 'A', 'NOERROR', ['198.51.100.200']],
  ['spf-split.example', 'TXT', 'NOERROR', ['v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 -all']],
  ['spf-twice.example', 'TXT', 'NOERROR', ['v=spf1 -all', 'v=spf1 ip4:192.0.2.0/24 -all']],
  ['l11.spf-toomany.example', 'TXT', 'NOERROR', ['v=spf1 ip4:203.0.113.0/24 -all']],
  ['void1.spf-void.example', 'A', 'NXDOMAIN', []],
  // DMARC
  ['_dmarc.strict.example', 'TXT', 'NOERROR', ['v=DMARC1; p=reject; adkim=s; aspf=s; rua=mailto:dmarc@strict.example']],
  ['_dmarc.example.org', 'TXT', 'NXDOMAIN', []],
  ['example.org', 'TXT', 'NOERROR', []],
  // untrusted text
  ['xss.example', 'TXT', 'NOERROR', ['"><script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'v=spf1 ip4:192.0.2.0/24 -all exp=explain.xss.example']],
  ['explain.xss.example', 'TXT', 'NOERROR', ['<img src=x onerror=alert(1)> %{i} may not send for %{d}']],
  ['66.113.0.203.in-addr.arpa', 'PTR', 'NOERROR', ['<img\\032src=x\\032onerror=alert(1)>.xss.example.']],
  // recipients
  ['recipient.example', 'MX', 'NOERROR', ['1 aspmx.l.google.com.', '5 alt1.aspmx.l.google.com.', '5 alt2.aspmx.l.google.com.']],
  ['recipient-o365.example', 'MX', 'NOERROR', ['0 recipient-o365-example.mail.protection.outlook.com.']],
  ['nullmx.example', 'MX', 'NOERROR', ['0 .']],
  ['nomx.example', 'MX', 'NOERROR', []],
  // example.com/net/org, test
  ['example.com', 'TXT', 'NOERROR', ['v=spf1 mx -all']],
  ['25.2.0.192.in-addr.arpa', 'PTR', 'NOERROR', ['mail.example.com.']],
  ['example.net', 'MX', 'NOERROR', ['10 mx1.example.net.', '20 mx2.example.net.']],
  ['a.cname.test', 'A', 'NOERROR', ['192.0.2.50']],
  ['anything.wild.test', 'A', 'NOERROR', ['192.0.2.60']],
  ['v6only.test', 'A', 'NOERROR', []],
  ['v6only.test', 'AAAA', 'NOERROR', ['2001:db8::66']],
  // outside the fixture zones: REFUSED, nothing is forwarded
  ['www.iana.org', 'A', 'REFUSED', []],
  ['spamhaus.org', 'A', 'REFUSED', []],
  ['1.0.0.127.dnsbl.sorbs.net', 'A', 'REFUSED', []],
  ['1.1.1.1.in-addr.arpa', 'PTR', 'REFUSED', []],
];

async function checkScenarios(env) {
  for (const [name, type, rcode, data] of cases) {
    const label = `${name} ${type}`;
    try {
      const doh = await askDoh(env.DOH_URL, name, type);
      check(`doh ${label}: HTTP 200`, doh.status === 200, String(doh.status));
      if (!doh.message) continue;
      checkEqual(`doh ${label}: rcode`, doh.message.rcode, rcode);
      checkEqual(`doh ${label}: answers`, answerData(doh.message, type), data);
    } catch (e) {
      check(`doh ${label}`, false, e.message);
    }
  }
  // A sample over plain DNS, straight to nsd and through dnsdist.
  for (const [name, type, rcode, data] of cases.filter((_, i) => i % 4 === 0)) {
    for (const [via, ask] of [['udp', askUdp], ['tcp', askTcp]]) {
      for (const [who, addr] of [['dnsdist', env.DNS_ADDR], ['nsd', env.NSD_ADDR]]) {
        const label = `${via} ${who} ${name} ${type}`;
        try {
          const m = await ask(addr, name, type);
          check(`${label}: rcode ${rcode} and answers`,
            m.rcode === rcode && JSON.stringify(answerData(m, type)) === JSON.stringify(data),
            `${m.rcode} ${JSON.stringify(answerData(m, type))}`);
        } catch (e) {
          check(label, false, e.message);
        }
      }
    }
  }
}

async function checkHttp(env) {
  const doh = await askDoh(env.DOH_URL, 'mail.good.example', 'A');
  checkEqual('doh: content-type', doh.headers.get('content-type'), 'application/dns-message');
  checkEqual('doh: access-control-allow-origin', doh.headers.get('access-control-allow-origin'), '*');
  checkEqual('doh: no cache-control header', doh.headers.get('cache-control'), null);
  checkEqual('doh: response id 0', doh.message?.id, 0);
  check('doh: authoritative answer', doh.message?.aa === true);
  checkEqual('doh: TTL 300', doh.message?.answers[0]?.ttl, 300);

  const post = await askDoh(env.DOH_URL, 'mail.good.example', 'A', { method: 'POST' });
  checkEqual('doh POST: status', post.status, 200);
  checkEqual('doh POST: answers', post.message && answerData(post.message, 'A'), ['192.0.2.10']);

  const bad = await fetch(`${env.DOH_URL}?dns=AAAA`);
  checkEqual('doh: unparsable query is HTTP 400', bad.status, 400);
  const missing = await fetch(env.DOH_URL.replace('/dns-query', '/nowhere'));
  checkEqual('doh: other path is HTTP 404', missing.status, 404);

  // The same question with curl, reading the raw headers.
  const query = base64url(encodeQuery('77.100.51.198.zen.spamhaus.org', 'A'));
  const out = path.join(os.tmpdir(), `dnsstack-smoke-${process.pid}.bin`);
  const curl = spawnSync('curl', ['-sS', '--noproxy', '*', '-D', '-', '-o', out,
    '-H', 'accept: application/dns-message', `${env.DOH_URL}?dns=${query}`], { encoding: 'latin1' });
  check('curl: exits 0', curl.status === 0, curl.stderr);
  const headers = curl.stdout.toLowerCase();
  check('curl: HTTP 200', /^http\/1\.1 200/.test(headers), headers.split('\n')[0]);
  check('curl: content-type application/dns-message', headers.includes('content-type: application/dns-message'));
  check('curl: access-control-allow-origin *', headers.includes('access-control-allow-origin: *'));
  if (fs.existsSync(out)) {
    const m = decodeMessage(fs.readFileSync(out));
    fs.rmSync(out);
    checkEqual('curl: listed answer', answerData(m, 'A'), ['127.0.0.11', '127.0.0.4']);
  }

  // An answer too large for 512-byte UDP.
  const udpBig = await askUdp(env.DNS_ADDR, 'big.test', 'TXT');
  check('udp big.test without EDNS: truncated', udpBig.tc === true);
  const ednsBig = await askUdp(env.DNS_ADDR, 'big.test', 'TXT', { edns: true });
  // nsd answers at most 1232 bytes over UDP (ipv4-edns-size), EDNS or not.
  check('udp big.test with EDNS 4096: still truncated', ednsBig.tc === true);
  const tcpBig = await askTcp(env.DNS_ADDR, 'big.test', 'TXT');
  checkEqual('tcp big.test: 12 strings', tcpBig.answers[0]?.data.length, 12);
  const dohBig = await askDoh(env.DOH_URL, 'big.test', 'TXT');
  checkEqual('doh big.test: 12 strings', dohBig.message?.answers[0]?.data.length, 12);
  check('doh big.test: not truncated', dohBig.message?.tc === false);

  // Shapes a resolver client must handle.
  const loop = await askDoh(env.DOH_URL, 'loop1.test', 'A');
  checkEqual('doh CNAME loop: NOERROR with both CNAMEs and no address',
    [loop.message?.rcode, answerData(loop.message, 'CNAME'), answerData(loop.message, 'A')],
    ['NOERROR', ['loop1.test.', 'loop2.test.'], []]);
  const chain = await askDoh(env.DOH_URL, 'a.cname.test', 'A');
  checkEqual('doh CNAME chain: both CNAMEs and the address',
    [answerData(chain.message, 'CNAME'), answerData(chain.message, 'A')],
    [['b.cname.test.', 'c.cname.test.'], ['192.0.2.50']]);
  const dangling = await askDoh(env.DOH_URL, 'dangling.test', 'A');
  checkEqual('doh dangling CNAME: NXDOMAIN with the CNAME',
    [dangling.message?.rcode, answerData(dangling.message, 'CNAME')], ['NXDOMAIN', ['gone.test.']]);
  const any = await askDoh(env.DOH_URL, 'mail.good.example', 'ANY');
  check('doh ANY: NOERROR with records', any.message?.rcode === 'NOERROR' && any.message.answers.length > 0,
    JSON.stringify(any.message?.answers.map((rr) => rr.type)));
}

async function checkStatus(env) {
  const status = await runStack(['status', '--dir', env.STACK_DIR]);
  check('status: exits 0 while running', status.code === 0, status.stdout + status.stderr);
  check('status: STATE=running', status.stdout.includes('STATE=running'), status.stdout);
}

async function checkDelay() {
  const delay = 150;
  const { env, ms, ok } = await startStack('delayed stack', ['--delay-ms', String(delay)]);
  if (!ok) return;
  const t0 = performance.now();
  const one = await askDoh(env.DOH_URL, 'mail.good.example', 'A');
  const dohMs = performance.now() - t0;
  check(`delay: DoH answer takes >= ${delay} ms`, dohMs >= delay && dohMs < delay + 500, dohMs.toFixed(0));
  checkEqual('delay: DoH answer still right', one.message && answerData(one.message, 'A'), ['192.0.2.10']);
  const t1 = performance.now();
  await askUdp(env.DNS_ADDR, 'mail.good.example', 'A');
  const udpMs = performance.now() - t1;
  check(`delay: UDP answer takes >= ${delay} ms`, udpMs >= delay && udpMs < delay + 500, udpMs.toFixed(0));
  // Twenty questions at once are delayed side by side, not one after another.
  const t2 = performance.now();
  const many = await Promise.all(cases.slice(0, 20).map(([name, type]) => askDoh(env.DOH_URL, name, type)));
  const manyMs = performance.now() - t2;
  check('delay: 20 parallel DoH answers all 200', many.every((r) => r.status === 200));
  check('delay: 20 parallel DoH answers overlap', manyMs < delay * 4, manyMs.toFixed(0));
  const t3 = performance.now();
  await askTcp(env.DNS_ADDR, 'mail.good.example', 'A');
  const tcpMs = performance.now() - t3;
  const stopMs = await stopStack('delayed stack', env);
  console.log(`delayed stack (--delay-ms ${delay}): start ${ms.toFixed(0)} ms, stop ${stopMs.toFixed(0)} ms; ` +
    `DoH ${dohMs.toFixed(0)} ms, UDP ${udpMs.toFixed(0)} ms, TCP ${tcpMs.toFixed(0)} ms (not delayed), ` +
    `20 parallel DoH ${manyMs.toFixed(0)} ms`);
}

async function checkMisuse() {
  const taken = fs.mkdtempSync(path.join(os.tmpdir(), 'dnsstack-smoke-'));
  fs.writeFileSync(path.join(taken, 'keep.txt'), 'not a stack');
  const nonEmpty = await runStack(['start', '--dir', taken]);
  check('start refuses a non-empty --dir', nonEmpty.code !== 0 && /not empty/.test(nonEmpty.stderr), nonEmpty.stderr);
  const stopOther = await runStack(['stop', '--dir', taken]);
  check('stop refuses a directory it did not make', stopOther.code !== 0 &&
    fs.existsSync(path.join(taken, 'keep.txt')), stopOther.stderr);
  fs.rmSync(taken, { recursive: true });
  const badDelay = await runStack(['start', '--delay-ms', 'soon']);
  check('start refuses a bad --delay-ms', badDelay.code !== 0 && /delay-ms/.test(badDelay.stderr), badDelay.stderr);
  const noArgs = await runStack([]);
  check('no command prints usage', noArgs.code === 2 && /usage:/.test(noArgs.stderr), noArgs.stderr);

  // A stack in a directory the caller names, then "status" after "stop".
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'dnsstack-smoke-'));
  const dir = path.join(parent, 'stack');
  const { env, ok } = await startStack('stack in --dir', ['--dir', dir]);
  if (ok) {
    checkEqual('stack in --dir: STACK_DIR', env.STACK_DIR, dir);
    await stopStack('stack in --dir', env);
    const after = await runStack(['status', '--dir', dir]);
    check('status after stop fails', after.code !== 0);
  }
  fs.rmSync(parent, { recursive: true, force: true });
}

async function main() {
  const { env, ms, ok } = await startStack('stack');
  if (ok) {
    try {
      await checkStatus(env);
      await checkHttp(env);
      await checkScenarios(env);
    } catch (e) {
      check('stack checks ran to the end', false, e.stack);
    }
    const stopMs = await stopStack('stack', env);
    console.log(`stack: start ${ms.toFixed(0)} ms, stop ${stopMs.toFixed(0)} ms`);
  }
  try {
    await checkDelay();
    await checkMisuse();
  } catch (e) {
    check('delay and misuse checks ran to the end', false, e.stack);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
