import { describe, expect, it } from 'vitest';
import { runCli } from '../src/index';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (l: string) => err.push(l) } };
}

describe('costtrace <command>', () => {
  it('hands `budget` and its arguments to @costtrace/budget-store-redis\'s runBudgetCommand', async () => {
    const t = io();
    const seen: unknown[] = [];
    const load = async (specifier: string) => ({
      runBudgetCommand: async (argv: string[], given: unknown) => {
        seen.push(specifier, argv, given === t.io);
        return 3;
      },
    });
    expect(await runCli(['budget', 'show', '--scope', 'run'], t.io, load)).toBe(3);
    expect(seen).toEqual(['@costtrace/budget-store-redis', ['show', '--scope', 'run'], true]);
  });

  it('says which package to install when the budget package is absent', async () => {
    const t = io();
    // The error a real import of a missing package throws (the lead may install the real one here).
    const missing = (specifier: string) => import(/* @vite-ignore */ `${specifier}-not-installed`);
    expect(await runCli(['budget', 'show'], t.io, missing)).toBe(1);
    expect(t.err).toEqual(['costtrace budget: needs @costtrace/budget-store-redis; install it beside @costtrace/cli (npm install @costtrace/budget-store-redis)']);
  });

  it('rejects an unknown command with the usage, and prints help', async () => {
    const t = io();
    expect(await runCli(['nope'], t.io)).toBe(2);
    expect(t.err[0]).toMatch(/^costtrace: unknown command "nope"\nUsage: costtrace <command>/);
    const h = io();
    expect(await runCli(['--help'], h.io)).toBe(0);
    expect(h.out.join('')).toContain('Usage: costtrace report [FILE...]');
  });

  it('turns a bad option into an error line, not a throw', async () => {
    const t = io();
    expect(await runCli(['report', 'x.jsonl', '--format', 'yaml'], t.io)).toBe(1);
    expect(t.err).toEqual(['costtrace report: --format: one of table, markdown, csv, json; got "yaml"']);
    const w = io();
    expect(await runCli(['report', 'x.jsonl', '--what-if', 'examples'], w.io)).toBe(1);
    expect(w.err).toEqual(['costtrace report: --what-if wants AGENT=MODEL, got "examples"']);
  });
});
