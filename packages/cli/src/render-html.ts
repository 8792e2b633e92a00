import { ICICLE_SCRIPT } from './html-script';
import { reportSections, usd, type Section } from './report-sections';
import type { Report } from './types';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// JSON inside <script>: `<` escaped so no string in it can close the element.
const scriptJson = (v: unknown) => JSON.stringify(v ?? null).replace(/</g, '\\u003c');

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2228;background:#fff}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:20px 0 6px}
.layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:24px;align-items:start}
@media (max-width:1100px){.layout{grid-template-columns:1fr}}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:3px 8px;border-bottom:1px solid #e3e6ea;text-align:left;white-space:nowrap}
td.num,th.num{text-align:right} th{background:#f4f6f8;font-weight:600}
#icicle svg text{font-size:12px;fill:#101418;pointer-events:none} #icicle svg text.cost{fill:#2b3138}
#icicle rect{stroke:#fff} #icicle rect.stopped{stroke:#b00020;stroke-width:2;stroke-dasharray:4 2} .muted{color:#5b6570} .note{color:#5b6570;font-size:12px}
`;

function table(s: Section, report: Report): string {
  const head = s.columns.map((c, i) => `<th${s.numeric[i] ? ' class="num"' : ''}>${esc(c)}</th>`).join('');
  const rows = s.rows.map((r, ri) => {
    // Machine-readable costs on agent rows: the exact figure, not the rounded text.
    const agent = s.id === 'agents' ? report.agents[ri] : undefined;
    const attrs = agent === undefined ? '' : ` data-agent="${esc(agent.name)}" data-cost-usd="${agent.costUsd}" data-calls="${agent.calls}"`;
    return `<tr${attrs}>${r.map((c, i) => `<td${s.numeric[i] ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`;
  });
  return `<section id="${s.id}"><h2>${esc(s.title)}</h2><table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>${
    s.note === undefined ? '' : `<p class="note">${esc(s.note)}</p>`
  }</section>`;
}

/** One self-contained HTML page: the tables beside an icicle of the run's cost tree; no network. */
export function renderHtml(report: Report): string {
  const sections = reportSections(report);
  const tree = report.costTree;
  const title = tree === undefined ? 'No run' : `Run ${esc(tree.name)}: ${usd(tree.costUsd)}, ${tree.calls} calls`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>costtrace report</title><style>${CSS}</style></head>
<body>
<h1>costtrace report</h1>
<p class="muted">${esc(report.sources.join(', '))}${report.range.since || report.range.until ? ` · ${esc(report.range.since ?? '…')} to ${esc(report.range.until ?? '…')}` : ''}</p>
<div class="layout">
<main>${sections.map((s) => table(s, report)).join('\n')}</main>
<aside><h2>${title}</h2><div id="icicle"></div><p class="note">Width is cost. Rows: run, agents, steps, calls. A red dashed edge holds calls a budget stopped. Hover for figures.</p></aside>
</div>
<script type="application/json" id="cost-tree">${scriptJson(tree)}</script>
<script type="application/json" id="report-data">${scriptJson(report)}</script>
<script>${ICICLE_SCRIPT}</script>
</body></html>
`;
}
