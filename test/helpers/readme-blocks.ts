import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './workspace';

/** Fence languages run as programs: JavaScript as an ES module, TypeScript type-stripped to one. */
export const RUN_LANGUAGES = new Set(['js', 'javascript', 'mjs', 'ts', 'typescript', 'mts']);
/** Fence languages that are not programs (shell lines, config files, output). */
export const OTHER_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console', 'json', 'yaml', 'yml', 'text']);

/**
 * What a README says, in HTML comments right before a block (readers never see them), to make a
 * fragment a program. Each comment is `<!-- readme-test KEY: VALUE -->`; VALUE may span lines.
 * - `prelude`: code put before the block (defines what the fragment calls; starts fake-llm).
 * - `teardown`: code put after it (closes what the prelude started, checks what the block did).
 * - `node-args`: arguments for `node` before the file, space-separated (`--import @costtrace/register`).
 */
export interface BlockDirectives {
  prelude?: string;
  teardown?: string;
  nodeArgs?: string[];
}

export interface ReadmeBlock {
  /** README path relative to the repository root. */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  directives: BlockDirectives;
}

/** Every README.md the repository ships: the root one, and one level down in packages/, examples/, collector-config/. */
export function readmeFiles(): string[] {
  const files = [join(repoRoot, 'README.md')];
  for (const top of ['packages', 'examples']) {
    const dir = join(repoRoot, top);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir).sort()) files.push(join(dir, entry, 'README.md'));
  }
  files.push(join(repoRoot, 'collector-config', 'README.md'));
  return files.filter((f) => existsSync(f)).map((f) => relative(repoRoot, f));
}

const DIRECTIVE = /<!--\s*readme-test\s+([a-z-]+):([\s\S]*?)-->/g;

/** The fenced code blocks of one README, with the `readme-test` directives right before each. */
export function readmeBlocks(readme: string): ReadmeBlock[] {
  const lines = readFileSync(join(repoRoot, readme), 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  let pending = ''; // the text between the previous block (or prose line) and this fence
  for (let i = 0; i < lines.length; i++) {
    const open = /^```\s*([\w-]*)\s*$/.exec(lines[i]!);
    if (!open) {
      // Directives must sit right before the block: any prose line in between drops them.
      const inComment = pending.lastIndexOf('<!--') > pending.lastIndexOf('-->');
      if (lines[i]!.trim() === '' || inComment || /^\s*<!--/.test(lines[i]!)) pending += `${lines[i]}\n`;
      else pending = '';
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`${readme}:${start + 1}: code block never closed`);
    blocks.push({ readme, line: start + 1, lang: open[1]!.toLowerCase(), code: `${body.join('\n')}\n`, directives: parseDirectives(readme, start + 1, pending) });
    pending = '';
  }
  return blocks;
}

function parseDirectives(readme: string, line: number, text: string): BlockDirectives {
  const directives: BlockDirectives = {};
  for (const [, key, raw] of text.matchAll(DIRECTIVE)) {
    const value = raw!.trim();
    if (key === 'prelude') directives.prelude = value;
    else if (key === 'teardown') directives.teardown = value;
    else if (key === 'node-args') directives.nodeArgs = value.split(/\s+/);
    else throw new Error(`${readme}:${line}: unknown readme-test directive '${key}'`);
  }
  return directives;
}
