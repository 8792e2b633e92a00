import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_LANGUAGES, readmeBlocks, readmeFiles, RUN_LANGUAGES } from './helpers/readme-blocks';
import { startOtlpReceiver, type OtlpReceiver } from './helpers/otlp-receiver';
import { runProgram, writeProgram } from './helpers/readme-program';

// Every JavaScript and TypeScript block of every README runs as a program against the built
// packages. A fragment gets what it lacks from `<!-- readme-test prelude: … -->` (and
// `teardown:`, `node-args:`) comments right before it; see test/helpers/readme-blocks.ts.
// Model calls go to a fake-llm the prelude starts, spans to this file's loopback receiver.

const blocks = readmeFiles().flatMap(readmeBlocks);
const runnable = blocks.filter((b) => RUN_LANGUAGES.has(b.lang));

// A block that stops being found (a fence language changed, a README moved) fails here, not silently.
const RUNNABLE_PER_README: Record<string, number> = {
  'README.md': 2,
  'packages/budget-span-processor/README.md': 2,
  'packages/cli/README.md': 0,
  'packages/budget-store-redis/README.md': 0,
  'packages/core/README.md': 1,
  'packages/cost-span-processor/README.md': 2,
  'packages/fake-llm/README.md': 4,
  'packages/instrumentation-anthropic/README.md': 2,
  'packages/instrumentation-fetch/README.md': 1,
  'packages/instrumentation-frameworks/README.md': 1,
  'packages/instrumentation-bedrock/README.md': 1,
  'packages/instrumentation-openai/README.md': 1,
  'packages/pipeline/README.md': 0,
  'packages/pricing/README.md': 2,
  'packages/register/README.md': 3,
  'packages/semconv/README.md': 1,
  'examples/multi-agent/README.md': 0,
  'collector-config/README.md': 0,
};

describe('README code blocks', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it(`runs ${runnable.length} blocks: the expected number in each README`, () => {
    const counts = Object.fromEntries(readmeFiles().map((f) => [f, runnable.filter((b) => b.readme === f).length]));
    expect(counts).toEqual(RUNNABLE_PER_README);
  });

  it('knows the language of every block (a program, or a shell line or config file it does not run)', () => {
    const unknown = blocks.filter((b) => !RUN_LANGUAGES.has(b.lang) && !OTHER_LANGUAGES.has(b.lang));
    expect(unknown.map((b) => `${b.readme}:${b.line} '${b.lang}'`)).toEqual([]);
    const stray = blocks.filter((b) => !RUN_LANGUAGES.has(b.lang) && Object.keys(b.directives).length > 0);
    expect(stray.map((b) => `${b.readme}:${b.line}`)).toEqual([]);
  });

  it.each(runnable.map((b) => [`${b.readme}:${b.line} (${b.lang})`, b] as const))(
    '%s runs to completion',
    async (_title, block) => {
      const file = writeProgram(block);
      const run = await runProgram(file, block.directives.nodeArgs ?? [], receiver.url, 20_000);
      expect({ file, code: run.code, signal: run.signal, timedOut: run.timedOut, stderr: run.stderr }).toEqual({
        file,
        code: 0,
        signal: null,
        timedOut: false,
        stderr: '',
      });
    },
    30_000,
  );
});
