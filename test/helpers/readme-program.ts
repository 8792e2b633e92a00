import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { ReadmeBlock } from './readme-blocks';
import { testRoot } from './workspace';

const PROGRAM_DIR = join(testRoot, '.readme-blocks');

// After the block: one span through whatever tracer provider the block installed, flushed, so a
// pipeline it set up really exports (a misbuilt exporter or processor throws only then). Its
// parent is a sampled remote span, so a parent-based sampler keeps it whatever its ratio.
const FLUSH = `
{
  const { context: readmeTestContext, trace: readmeTestTrace, TraceFlags: readmeTestFlags } = await import('@opentelemetry/api');
  const readmeTestParent = readmeTestTrace.setSpanContext(readmeTestContext.active(), {
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: readmeTestFlags.SAMPLED, isRemote: true,
  });
  readmeTestTrace.getTracer('readme-test').startSpan('readme-test flush', {}, readmeTestParent).end();
  const readmeTestProvider = readmeTestTrace.getTracerProvider();
  const readmeTestDelegate = typeof readmeTestProvider.getDelegate === 'function' ? readmeTestProvider.getDelegate() : readmeTestProvider;
  if (typeof readmeTestDelegate.forceFlush === 'function') await readmeTestDelegate.forceFlush();
}
`;

/**
 * Writes a block as an ES module inside the test workspace (so `@costtrace/*`, `@opentelemetry/*`,
 * `openai` and `@anthropic-ai/sdk` resolve to what the workspace installed): prelude, block, a
 * span flushed through the block's pipeline, teardown, in that order; TypeScript type-stripped
 * (Node 20 has no stripping of its own).
 */
export function writeProgram(block: ReadmeBlock): string {
  const { prelude, teardown } = block.directives;
  const source = [prelude && `${prelude}\n`, block.code, FLUSH, teardown && `${teardown}\n`].filter(Boolean).join('');
  const ts_ = block.lang === 'ts' || block.lang === 'typescript' || block.lang === 'mts';
  const text = ts_ ? stripTypes(source, block) : source;
  mkdirSync(PROGRAM_DIR, { recursive: true });
  const file = join(PROGRAM_DIR, `${block.readme.replace(/[/\\.]/g, '-')}-L${block.line}.mjs`);
  writeFileSync(file, text);
  return file;
}

function stripTypes(source: string, block: ReadmeBlock): string {
  const out = ts.transpileModule(source, {
    fileName: `${block.readme}-L${block.line}.mts`,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  });
  const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (errors.length > 0) throw new Error(`${block.readme}:${block.line}: does not parse as TypeScript: ${errors.join('; ')}`);
  return out.outputText;
}

export interface ProgramRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs a program with only loopback endpoints in its environment: OTLP goes to `otlpUrl` (the
 * test's receiver), and no provider key or base URL is inherited, so a block that calls a model
 * without the prelude's fake-llm fails instead of reaching a real API.
 */
export function runProgram(file: string, nodeArgs: string[], otlpUrl: string, timeoutMs: number): Promise<ProgramRun> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
  };
  const child = spawn(process.execPath, [...nodeArgs, file], { cwd: testRoot, env });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    }),
  );
}
