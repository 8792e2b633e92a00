// The page's only script, inlined: draws the run's cost tree as an icicle (run on top, then
// agents, steps, calls; width ∝ cost) into #icicle from the JSON in #cost-tree. Plain ES2017, no
// network, no libraries.
export const ICICLE_SCRIPT = `
(function () {
  'use strict';
  var data = document.getElementById('cost-tree');
  var host = document.getElementById('icicle');
  if (!data || !host) return;
  var tree = JSON.parse(data.textContent || 'null');
  if (!tree) { host.textContent = 'No run to draw.'; return; }
  var NS = 'http://www.w3.org/2000/svg';
  var W = Math.max(Math.floor(host.clientWidth), 320) || 960, ROW = 44, depth = 0;
  (function measure(n, d) { depth = Math.max(depth, d + 1); n.children.forEach(function (c) { measure(c, d + 1); }); })(tree, 0);
  var svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + depth * ROW);
  svg.setAttribute('width', String(W));
  svg.setAttribute('height', String(depth * ROW));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Cost tree of run ' + tree.name);
  var hues = {};
  var nextHue = 0;
  function stops(n) {
    if (n.kind === 'call') return n.status === 'budget_refused' || n.status === 'budget_aborted' ? 1 : 0;
    return n.children.reduce(function (sum, c) { return sum + stops(c); }, 0);
  }
  function weight(n) { return tree.costUsd > 0 ? n.costUsd : Math.max(n.calls, 0); }
  function fit(text, w) { var n = Math.floor((w - 8) / 7); return text.length <= n ? text : text.slice(0, Math.max(n - 1, 1)) + '\u2026'; }
  function money(x) { return x >= 0.01 || x === 0 ? '$' + x.toFixed(2) : '$' + Number(x.toPrecision(3)); }
  function draw(n, x, w, d, agent) {
    if (n.kind === 'agent') { agent = n.name; if (!(agent in hues)) { hues[agent] = (nextHue * 137) % 360; nextHue++; } }
    var g = document.createElementNS(NS, 'g');
    var r = document.createElementNS(NS, 'rect');
    r.setAttribute('x', String(x)); r.setAttribute('y', String(d * ROW));
    r.setAttribute('width', String(Math.max(w - 1, 0))); r.setAttribute('height', String(ROW - 2));
    var light = n.kind === 'run' ? 88 : 40 + d * 10;
    r.setAttribute('fill', agent === undefined ? 'hsl(210, 15%, ' + light + '%)' : 'hsl(' + hues[agent] + ', 65%, ' + light + '%)');
    r.setAttribute('data-kind', n.kind); r.setAttribute('data-name', n.name); r.setAttribute('data-cost-usd', String(n.costUsd));
    if (n.status) r.setAttribute('data-status', n.status);
    var stopped = stops(n);
    if (stopped > 0) { r.setAttribute('data-budget-stops', String(stopped)); r.setAttribute('class', 'stopped'); }
    var tip = document.createElementNS(NS, 'title');
    tip.textContent = n.kind + ' ' + n.name + ': ' + money(n.costUsd) + ' (' + n.calls + ' calls' + (n.status ? ', ' + n.status : '') +
      (stopped > 0 ? ', ' + stopped + ' stopped by a budget' : '') + ')';
    r.appendChild(tip); g.appendChild(r);
    if (w > 48) {
      var t = document.createElementNS(NS, 'text');
      t.setAttribute('x', String(x + 4)); t.setAttribute('y', String(d * ROW + 18));
      t.textContent = fit(n.name, w); g.appendChild(t);
      var c = document.createElementNS(NS, 'text');
      c.setAttribute('x', String(x + 4)); c.setAttribute('y', String(d * ROW + 34)); c.setAttribute('class', 'cost');
      c.textContent = money(n.costUsd) + (stopped > 0 ? ' \u00b7 ' + stopped + ' stopped' : ''); g.appendChild(c);
    }
    svg.appendChild(g);
    var total = weight(n), at = x;
    n.children.forEach(function (child) {
      var cw = total > 0 ? (w * weight(child)) / total : w / n.children.length;
      draw(child, at, cw, d + 1, agent);
      at += cw;
    });
  }
  draw(tree, 0, W, 0, undefined);
  host.appendChild(svg);
})();
`;
