// SPDX-License-Identifier: MIT
// Turns the input bytes and the report's evidence spans (byte offsets) into
// a flat list of segments to show: plain text, highlighted text, and gaps
// where a long input is left out. Pure functions; render.js turns segments
// into DOM.
//
//   const segments = evidenceSegments(bytes, report.evidence);
//   // [{kind: 'text', text: '554 5.7.1 : '},
//   //  {kind: 'mark', text: 'blocked using zen.spamhaus.org', spans: [0]}, ...]

const decoder = new TextDecoder('utf-8', {fatal: false});

// Default sizes: inputs up to `fullBytes` are shown whole; longer ones as
// excerpts of `contextBytes` around each highlight, at most `maxExcerpts`.
export const EVIDENCE_VIEW = Object.freeze({
  fullBytes: 64 * 1024,
  contextBytes: 240,
  maxExcerpts: 40,
});

// Moves `offset` back to the first byte of the UTF-8 sequence it falls in,
// so that a slice never starts or ends inside a character.
export function toCharBoundary(bytes, offset) {
  let i = Math.max(0, Math.min(offset, bytes.length));
  while (i > 0 && i < bytes.length && (bytes[i] & 0xc0) === 0x80) i--;
  return i;
}

// Returns the spans that point inside `bytes`, clamped to character
// boundaries, with their index in the report: [{begin, end, index}].
// Spans that are empty, reversed or outside the input are dropped.
export function validSpans(bytes, spans) {
  const out = [];
  (spans || []).forEach((span, index) => {
    const begin = Number(span && span.begin);
    const end = Number(span && span.end);
    if (!Number.isInteger(begin) || !Number.isInteger(end)) return;
    if (begin < 0 || end <= begin || begin >= bytes.length) return;
    const b = toCharBoundary(bytes, begin);
    let e = Math.min(end, bytes.length);
    if (e < bytes.length) e = toCharBoundary(bytes, e);
    if (e <= b) return;
    out.push({begin: b, end: e, index});
  });
  return out;
}

// Splits [0, bytes.length) at every span edge. Returns ranges
// [{begin, end, spans: [indices]}] in order, covering the whole input; a
// range with no spans is plain text. Overlapping spans give ranges that list
// every span covering them.
export function splitRanges(length, spans) {
  const edges = new Set([0, length]);
  for (const s of spans) {
    edges.add(s.begin);
    edges.add(s.end);
  }
  const points = [...edges].sort((a, b) => a - b);
  const ranges = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const begin = points[i];
    const end = points[i + 1];
    const covering = spans.filter((s) => s.begin <= begin && s.end >= end)
        .map((s) => s.index);
    const last = ranges[ranges.length - 1];
    if (last && sameList(last.spans, covering)) {
      last.end = end;  // the same spans go on: one range
    } else {
      ranges.push({begin, end, spans: covering});
    }
  }
  return ranges;
}

function sameList(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// Returns the byte windows to show for a long input: each highlight with up
// to `contextBytes` on either side, trimmed to whole lines where a line
// break is near, merged when they touch, at most `maxExcerpts`.
// [{begin, end}] in order.
export function excerptWindows(bytes, spans, {contextBytes, maxExcerpts}) {
  const windows = [];
  const sorted = [...spans].sort((a, b) => a.begin - b.begin);
  for (const s of sorted) {
    let begin = Math.max(0, s.begin - contextBytes);
    let end = Math.min(bytes.length, s.end + contextBytes);
    // Show whole lines: start after the first line break inside the
    // context before the span, stop after the last one inside the context
    // after it.
    if (begin > 0) {
      const lineBreak = bytes.indexOf(0x0a, begin);
      if (lineBreak >= 0 && lineBreak < s.begin) begin = lineBreak + 1;
    }
    if (end < bytes.length) {
      const lineBreak = bytes.lastIndexOf(0x0a, end - 1);
      if (lineBreak >= s.end) end = lineBreak + 1;
    }
    begin = toCharBoundary(bytes, begin);
    if (end < bytes.length) end = toCharBoundary(bytes, end);
    const last = windows[windows.length - 1];
    if (last && begin <= last.end + 1) {
      last.end = Math.max(last.end, end);
    } else {
      if (windows.length >= maxExcerpts) break;
      windows.push({begin, end});
    }
  }
  return windows;
}

// Returns the segments to show for `bytes` and the report's `evidence`:
//   {kind: 'text', text}                 plain input text
//   {kind: 'mark', text, spans: [i...]}  text evidence spans i... point at
//   {kind: 'gap', bytes: n}              n input bytes left out
// `view` overrides fields of EVIDENCE_VIEW.
export function evidenceSegments(bytes, evidence, view = {}) {
  const config = {...EVIDENCE_VIEW, ...view};
  const spans = validSpans(bytes, evidence);
  let windows;
  if (bytes.length <= config.fullBytes) {
    windows = [{begin: 0, end: bytes.length}];
  } else {
    windows = excerptWindows(bytes, spans, config);
  }
  const segments = [];
  let shownUpTo = 0;
  for (const w of windows) {
    if (w.begin > shownUpTo) segments.push({kind: 'gap', bytes: w.begin - shownUpTo});
    const inside = spans
        .filter((s) => s.end > w.begin && s.begin < w.end)
        .map((s) => ({begin: Math.max(s.begin, w.begin) - w.begin,
                      end: Math.min(s.end, w.end) - w.begin, index: s.index}));
    const slice = bytes.subarray(w.begin, w.end);
    for (const r of splitRanges(slice.length, inside)) {
      if (r.end <= r.begin) continue;
      const text = decoder.decode(slice.subarray(r.begin, r.end));
      if (r.spans.length === 0) segments.push({kind: 'text', text});
      else segments.push({kind: 'mark', text, spans: r.spans});
    }
    shownUpTo = w.end;
  }
  if (shownUpTo < bytes.length && windows.length > 0) {
    segments.push({kind: 'gap', bytes: bytes.length - shownUpTo});
  }
  return segments;
}
