// SPDX-License-Identifier: MIT
// The Received hops of a report as an SVG drawing of where the time went:
// one row per hop, oldest at the top (the order the mail travelled), with a
// bar as long as the time the mail spent before the next hop, and the edge
// hop (where the mail entered the recipient's organisation) marked with a
// diamond and the word "edge", never by colour alone.
//
//   section.append(hopTimeline(report.hops));   // null when nothing to draw
//
// Text from the report goes into <text> and <title> nodes with
// textContent, like everything else the page renders.

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 34;        // px per hop
const LABEL = 230;     // px for the host name column
const WIDTH = 760;     // viewBox width
const TOP = 8;

function node(tag, attrs, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs || {})) n.setAttribute(name, String(value));
  if (text !== undefined) n.textContent = text;
  return n;
}

// "1 h 5 min", "42 s", "0 s".
export function shortDuration(seconds) {
  if (!(seconds >= 0)) return '';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

function cut(text, max) {
  const s = String(text || '');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// The rows to draw, oldest first: [{label, ip, by, delay, edge, share}]
// where share is the bar length from 0 to 1 (0 when the delay is unknown).
// Pure, for tests.
export function timelineRows(hops) {
  const rows = [...(hops || [])].reverse().map((h) => ({
    label: h.from_helo || h.from_rdns || h.from_ip || 'unknown host',
    ip: h.from_ip || '',
    by: h.by || '',
    delay: Number.isInteger(h.delay_seconds) && h.delay_seconds >= 0 ? h.delay_seconds : -1,
    edge: h.edge === true,
  }));
  const longest = Math.max(0, ...rows.map((r) => r.delay));
  for (const r of rows) r.share = longest > 0 && r.delay > 0 ? r.delay / longest : 0;
  return rows;
}

// Returns an <svg> for `hops` (report order: newest first), or null when
// there are none.
export function hopTimeline(hops) {
  const rows = timelineRows(hops);
  if (rows.length === 0) return null;
  const total = rows.reduce((sum, r) => sum + Math.max(0, r.delay), 0);
  const height = TOP + rows.length * ROW + 26;
  const barLeft = LABEL + 20;
  const barMax = WIDTH - barLeft - 90;
  const svg = node('svg', {
    class: 'timeline', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img',
    'aria-labelledby': 'timeline-title timeline-desc', preserveAspectRatio: 'xMinYMin meet',
  });
  svg.append(node('title', {id: 'timeline-title'}, 'Where the time went between Received hops'));
  const edge = rows.find((r) => r.edge);
  svg.append(node('desc', {id: 'timeline-desc'},
      `${rows.length} hops, ${shortDuration(total)} in total` +
      (edge ? `; the mail entered the recipient's organisation at ${edge.label}` : '')));
  // The line the mail travelled along.
  svg.append(node('line', {class: 'tl-spine', x1: LABEL + 8, y1: TOP + ROW / 2,
                           x2: LABEL + 8, y2: TOP + (rows.length - 0.5) * ROW}));
  rows.forEach((r, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const g = node('g', {class: `tl-row${r.edge ? ' tl-edge' : ''}`});
    g.append(node('title', null, `${r.label}${r.ip ? ` [${r.ip}]` : ''}${r.by ? ` → ${r.by}` : ''}` +
        (r.delay >= 0 ? `: ${shortDuration(r.delay)} before the next hop` : '')));
    g.append(node('text', {class: 'tl-label', x: LABEL - 6, y: y + 4, 'text-anchor': 'end'},
        cut(r.label, 30)));
    if (r.edge) {
      const s = 7;
      g.append(node('path', {class: 'tl-mark tl-mark-edge',
                             d: `M${LABEL + 8} ${y - s} l${s} ${s} l${-s} ${s} l${-s} ${-s} z`}));
    } else {
      g.append(node('circle', {class: 'tl-mark', cx: LABEL + 8, cy: y, r: 5}));
    }
    if (i < rows.length - 1 || r.delay >= 0) {
      if (r.delay >= 0) {
        const w = Math.max(2, Math.round(r.share * barMax));
        g.append(node('rect', {class: 'tl-bar', x: barLeft, y: y - 7, width: w, height: 14, rx: 3}));
        g.append(node('text', {class: 'tl-delay', x: barLeft + w + 6, y: y + 4},
            shortDuration(r.delay)));
      } else if (i < rows.length - 1) {
        g.append(node('text', {class: 'tl-delay tl-unknown', x: barLeft, y: y + 4}, 'time unknown'));
      }
    }
    if (r.edge) {
      g.append(node('text', {class: 'tl-edge-label', x: LABEL - 6, y: y + 17, 'text-anchor': 'end'},
          'edge: entered the recipient’s side'));
    }
    svg.append(g);
  });
  svg.append(node('text', {class: 'tl-total', x: barLeft, y: height - 6},
      `Total ${shortDuration(total)} · oldest hop at the top`));
  return svg;
}
