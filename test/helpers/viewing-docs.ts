import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './workspace';

export const viewingDir = join(repoRoot, 'collector-config');

/** The queries collector-config/README.md gives, from its lines `- TraceQL (…): \`query\`` or `- PromQL …: \`query\``. */
export function readmeQueries(language: 'TraceQL' | 'PromQL'): string[] {
  const text = readFileSync(join(viewingDir, 'README.md'), 'utf8');
  const line = new RegExp(`^- ${language}[^:\`]*: \`(.+)\`$`);
  return text.split('\n').flatMap((l) => {
    const m = line.exec(l);
    return m ? [m[1]!] : [];
  });
}

/** The dashboard's targets, with their panel title. */
export function dashboardTargets(): Array<{ panel: string; target: Record<string, any> }> {
  const dashboard = JSON.parse(readFileSync(join(viewingDir, 'grafana/dashboards/costtrace.json'), 'utf8'));
  return dashboard.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => ({ panel: p.title, target: t })));
}
