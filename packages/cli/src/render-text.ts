import { reportSections, type Section } from './report-sections';
import type { Report } from './types';

/** The report as aligned plain-text tables for a terminal. */
export function renderTable(report: Report): string {
  return reportSections(report).map(textSection).join('\n');
}

function textSection(s: Section): string {
  const widths = s.columns.map((c, i) => Math.max(c.length, ...s.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (s.numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const body = s.rows.length === 0 ? ['(none)'] : s.rows.map(line);
  return [s.title, line(s.columns), rule, ...body, ...(s.note === undefined ? [] : [s.note]), ''].join('\n');
}

/** The report as GitHub-flavoured markdown tables. */
export function renderMarkdown(report: Report): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const parts = ['# costtrace report', ''];
  for (const s of reportSections(report)) {
    parts.push(`## ${s.title}`, '');
    parts.push(`| ${s.columns.map(esc).join(' | ')} |`);
    parts.push(`| ${s.numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`);
    for (const r of s.rows) parts.push(`| ${r.map(esc).join(' | ')} |`);
    if (s.note !== undefined) parts.push('', s.note);
    parts.push('');
  }
  return parts.join('\n');
}
