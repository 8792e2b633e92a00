#!/usr/bin/env node
// Copies a named pnpm catalog's entries over the default catalog in
// pnpm-workspace.yaml, in place. CI runs it in a scratch copy of the workspace
// for the second leg (Node 26, OpenTelemetry JS SDK 3.x), whose `api` range is
// disjoint from the first leg's, so one catalog cannot serve both.
import { readFileSync, writeFileSync } from 'node:fs';

const [name, file = 'pnpm-workspace.yaml'] = process.argv.slice(2);
if (!name) {
  console.error('usage: select-otel-line.mjs <catalog-name> [pnpm-workspace.yaml]');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8').split('\n');
const entry = /^(\s+)('[^']+'|[^:\s]+):\s*(\S+)\s*$/;

function block(start, indent) {
  const out = new Map();
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = entry.exec(line);
    if (!m || m[1].length !== indent) break;
    out.set(m[2], i);
  }
  return out;
}

const named = lines.findIndex((l, i) => l === `  ${name}:` && lines.slice(0, i).includes('catalogs:'));
const dflt = lines.indexOf('catalog:');
if (named < 0 || dflt < 0) {
  console.error(`catalog "${name}" or the default catalog not found in ${file}`);
  process.exit(2);
}
const defaults = block(dflt, 2);
let changed = 0;
for (const [key, i] of block(named, 4)) {
  const value = entry.exec(lines[i])[3];
  const at = defaults.get(key);
  if (at === undefined) {
    console.error(`catalog "${name}" names ${key}, which the default catalog lacks`);
    process.exit(2);
  }
  lines[at] = `  ${key}: ${value}`;
  changed++;
}
writeFileSync(file, lines.join('\n'));
console.log(`selected catalog ${name}: ${changed} versions overridden`);
