import { describe, expect, it } from 'vitest';
import { readUsage, toTokenCount, type TokenUsage } from '@costtrace/semconv';

type Attrs = Record<string, unknown>;

describe('readUsage: dialects', () => {
  it.each<[string, Attrs, TokenUsage]>([
    [
      'current GenAI totals',
      { 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 20 },
      { inputTokens: 100, outputTokens: 20 },
    ],
    [
      'current GenAI with cache and reasoning parts',
      {
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 300,
        'gen_ai.usage.cache_read.input_tokens': 600,
        'gen_ai.usage.cache_write.input_tokens': 100,
        'gen_ai.usage.reasoning.output_tokens': 200,
      },
      { inputTokens: 1000, outputTokens: 300, cacheReadTokens: 600, cacheWriteTokens: 100, reasoningTokens: 200 },
    ],
    [
      'semconv 1.40 cache_creation name for cache writes',
      {
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 5,
        'gen_ai.usage.cache_creation.input_tokens': 100,
      },
      { inputTokens: 1000, outputTokens: 5, cacheWriteTokens: 100 },
    ],
    [
      'Anthropic cache lifetimes next to the cache write total',
      {
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 5,
        'gen_ai.usage.cache_write.input_tokens': 300,
        'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 200,
        'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 100,
      },
      {
        inputTokens: 1000,
        outputTokens: 5,
        cacheWriteTokens: 300,
        cacheWrite5mTokens: 200,
        cacheWrite1hTokens: 100,
      },
    ],
    [
      'cache write total from the lifetimes when no total is written (200 + 100)',
      {
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 5,
        'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 200,
        'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 100,
      },
      {
        inputTokens: 1000,
        outputTokens: 5,
        cacheWriteTokens: 300,
        cacheWrite5mTokens: 200,
        cacheWrite1hTokens: 100,
      },
    ],
    [
      'GenAI audio parts (semconv-genai main)',
      {
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.output_tokens': 50,
        'gen_ai.usage.audio.input_tokens': 40,
        'gen_ai.usage.audio.output_tokens': 30,
      },
      { inputTokens: 100, outputTokens: 50, inputAudioTokens: 40, outputAudioTokens: 30 },
    ],
    [
      'legacy gen_ai.usage.prompt_tokens / completion_tokens',
      { 'gen_ai.usage.prompt_tokens': 70, 'gen_ai.usage.completion_tokens': 7 },
      { inputTokens: 70, outputTokens: 7 },
    ],
    [
      'OpenLLMetry names',
      {
        'gen_ai.usage.prompt_tokens': 1200,
        'gen_ai.usage.completion_tokens': 50,
        'gen_ai.usage.cache_read_input_tokens': 1000,
        'gen_ai.usage.cache_creation_input_tokens': 100,
        'gen_ai.usage.reasoning_tokens': 10,
        'llm.usage.total_tokens': 1250,
      },
      { inputTokens: 1200, outputTokens: 50, cacheReadTokens: 1000, cacheWriteTokens: 100, reasoningTokens: 10 },
    ],
    [
      'OpenInference names',
      {
        'llm.token_count.prompt': 500,
        'llm.token_count.completion': 40,
        'llm.token_count.total': 540,
        'llm.token_count.prompt_details.cache_read': 300,
        'llm.token_count.prompt_details.cache_write': 50,
        'llm.token_count.prompt_details.audio': 20,
        'llm.token_count.completion_details.reasoning': 10,
        'llm.token_count.completion_details.audio': 5,
      },
      {
        inputTokens: 500,
        outputTokens: 40,
        cacheReadTokens: 300,
        cacheWriteTokens: 50,
        reasoningTokens: 10,
        inputAudioTokens: 20,
        outputAudioTokens: 5,
      },
    ],
    [
      'Vercel AI SDK 4',
      { 'ai.usage.promptTokens': 10, 'ai.usage.completionTokens': 5 },
      { inputTokens: 10, outputTokens: 5 },
    ],
    [
      'Vercel AI SDK 5',
      {
        'ai.usage.inputTokens': 100,
        'ai.usage.outputTokens': 20,
        'ai.usage.totalTokens': 120,
        'ai.usage.cachedInputTokens': 50,
        'ai.usage.reasoningTokens': 5,
      },
      { inputTokens: 100, outputTokens: 20, cacheReadTokens: 50, reasoningTokens: 5 },
    ],
    [
      'Vercel AI SDK 6 with its breakdown (input is cache-inclusive: 1000 + 8000 + 500)',
      {
        'ai.usage.inputTokens': 9500,
        'ai.usage.outputTokens': 200,
        'ai.usage.inputTokenDetails.noCacheTokens': 1000,
        'ai.usage.inputTokenDetails.cacheReadTokens': 8000,
        'ai.usage.inputTokenDetails.cacheWriteTokens': 500,
        'ai.usage.outputTokenDetails.reasoningTokens': 30,
      },
      { inputTokens: 9500, outputTokens: 200, cacheReadTokens: 8000, cacheWriteTokens: 500, reasoningTokens: 30 },
    ],
    [
      'Vercel AI SDK 6 breakdown alone: input = 1000 + 8000 + 500, not added twice',
      {
        'ai.usage.outputTokens': 200,
        'ai.usage.inputTokenDetails.noCacheTokens': 1000,
        'ai.usage.inputTokenDetails.cacheReadTokens': 8000,
        'ai.usage.inputTokenDetails.cacheWriteTokens': 500,
      },
      { inputTokens: 9500, outputTokens: 200, cacheReadTokens: 8000, cacheWriteTokens: 500 },
    ],
    ['Vercel AI SDK embed', { 'ai.usage.tokens': 12 }, { inputTokens: 12 }],
    [
      'GenAI totals merged with the Vercel AI SDK 5 cache attribute on the same span',
      {
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.output_tokens': 20,
        'ai.usage.inputTokens': 100,
        'ai.usage.cachedInputTokens': 60,
      },
      { inputTokens: 100, outputTokens: 20, cacheReadTokens: 60 },
    ],
  ])('reads %s', (_title, attributes, expected) => {
    expect(readUsage(attributes)).toEqual(expected);
  });
});

describe('readUsage: priority when several dialects are present', () => {
  it.each<[string, Attrs, TokenUsage]>([
    [
      'gen_ai.usage.input_tokens over gen_ai.usage.prompt_tokens',
      {
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.prompt_tokens': 999,
        'gen_ai.usage.output_tokens': 10,
        'gen_ai.usage.completion_tokens': 999,
      },
      { inputTokens: 100, outputTokens: 10 },
    ],
    [
      'legacy GenAI over OpenInference over Vercel',
      {
        'gen_ai.usage.prompt_tokens': 1,
        'llm.token_count.prompt': 2,
        'ai.usage.inputTokens': 3,
        'llm.token_count.completion': 4,
        'ai.usage.outputTokens': 5,
      },
      { inputTokens: 1, outputTokens: 4 },
    ],
    [
      'OpenInference over Vercel',
      { 'llm.token_count.prompt': 2, 'ai.usage.inputTokens': 3, 'ai.usage.promptTokens': 6 },
      { inputTokens: 2 },
    ],
    [
      'Vercel 5 inputTokens over Vercel 4 promptTokens',
      { 'ai.usage.inputTokens': 3, 'ai.usage.promptTokens': 6 },
      { inputTokens: 3 },
    ],
    [
      'dotted GenAI cache and reasoning names over OpenLLMetry underscored ones',
      {
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 100,
        'gen_ai.usage.cache_read.input_tokens': 10,
        'gen_ai.usage.cache_read_input_tokens': 99,
        'gen_ai.usage.cache_creation.input_tokens': 20,
        'gen_ai.usage.cache_creation_input_tokens': 99,
        'gen_ai.usage.reasoning.output_tokens': 30,
        'gen_ai.usage.reasoning_tokens': 99,
      },
      { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 10, cacheWriteTokens: 20, reasoningTokens: 30 },
    ],
    [
      'cache_write over cache_creation (the newer GenAI name first)',
      {
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.cache_write.input_tokens': 20,
        'gen_ai.usage.cache_creation.input_tokens': 21,
      },
      { inputTokens: 1000, cacheWriteTokens: 20 },
    ],
    [
      'a garbage value does not block the next dialect',
      { 'gen_ai.usage.input_tokens': 'n/a', 'gen_ai.usage.prompt_tokens': 50 },
      { inputTokens: 50 },
    ],
  ])('prefers %s', (_title, attributes, expected) => {
    expect(readUsage(attributes)).toEqual(expected);
  });
});

describe('readUsage: totals fill a missing side', () => {
  it.each<[string, Attrs, TokenUsage | undefined]>([
    [
      'output = total - input (130 - 100)',
      { 'gen_ai.usage.prompt_tokens': 100, 'llm.usage.total_tokens': 130 },
      { inputTokens: 100, outputTokens: 30 },
    ],
    [
      'input = total - output (540 - 40)',
      { 'llm.token_count.completion': 40, 'llm.token_count.total': 540 },
      { inputTokens: 500, outputTokens: 40 },
    ],
    [
      'nothing when the total is below the known side',
      { 'ai.usage.inputTokens': 100, 'ai.usage.totalTokens': 50 },
      { inputTokens: 100 },
    ],
    ['nothing from a total alone', { 'gen_ai.usage.total_tokens': 130 }, undefined],
  ])('derives %s', (_title, attributes, expected) => {
    expect(readUsage(attributes)).toEqual(expected);
  });
});

describe('readUsage: input that excludes the cache (Anthropic raw input_tokens)', () => {
  it.each<[string, Attrs, boolean | undefined, number | undefined]>([
    [
      'adds cache reads and writes when they exceed the input (20 + 1000 + 200)',
      {
        'gen_ai.usage.input_tokens': 20,
        'gen_ai.usage.cache_read.input_tokens': 1000,
        'gen_ai.usage.cache_write.input_tokens': 200,
      },
      undefined,
      1220,
    ],
    [
      'adds cache writes known only by lifetime (10 + 300)',
      { 'gen_ai.usage.input_tokens': 10, 'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 300 },
      undefined,
      310,
    ],
    [
      'detects it in OpenLLMetry names (3 + 2000)',
      { 'gen_ai.usage.prompt_tokens': 3, 'gen_ai.usage.cache_read_input_tokens': 2000 },
      undefined,
      2003,
    ],
    [
      'detects it in Vercel AI SDK 5 Anthropic spans (12 + 3000)',
      { 'ai.usage.inputTokens': 12, 'ai.usage.cachedInputTokens': 3000 },
      undefined,
      3012,
    ],
    [
      'keeps an inclusive input as it is (1220 >= 1000 + 200), as @anthropic-ai/sdk 1.12 writes it',
      {
        'gen_ai.usage.input_tokens': 1220,
        'gen_ai.usage.cache_read.input_tokens': 1000,
        'gen_ai.usage.cache_write.input_tokens': 200,
        'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 150,
        'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 50,
      },
      undefined,
      1220,
    ],
    [
      'keeps an input equal to its cache parts (all cached, nothing uncached)',
      { 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.cache_read.input_tokens': 1200 },
      undefined,
      1200,
    ],
    [
      'cannot detect an exclusive input above its cache parts without the option',
      { 'gen_ai.usage.input_tokens': 5000, 'gen_ai.usage.cache_read.input_tokens': 1000 },
      undefined,
      5000,
    ],
    [
      'adds them with inputExcludesCache: true (5000 + 1000)',
      { 'gen_ai.usage.input_tokens': 5000, 'gen_ai.usage.cache_read.input_tokens': 1000 },
      true,
      6000,
    ],
    [
      'adds nothing with inputExcludesCache: true when there is no cache',
      { 'gen_ai.usage.input_tokens': 5000 },
      true,
      5000,
    ],
    [
      'never adds with inputExcludesCache: false, so pricing can flag the input',
      { 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.cache_read.input_tokens': 1000 },
      false,
      20,
    ],
    [
      'does not detect on a garbage cache count',
      { 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.cache_read.input_tokens': Number.NaN },
      undefined,
      20,
    ],
    [
      'does not detect on a negative input',
      { 'gen_ai.usage.input_tokens': -5, 'gen_ai.usage.cache_read.input_tokens': 10 },
      undefined,
      -5,
    ],
  ])('%s', (_title, attributes, inputExcludesCache, expectedInput) => {
    const options = inputExcludesCache === undefined ? undefined : { inputExcludesCache };
    expect(readUsage(attributes, options)?.inputTokens).toBe(expectedInput);
  });

  it('leaves the cache parts as they are when it adds them to the input', () => {
    expect(
      readUsage({
        'gen_ai.usage.input_tokens': 20,
        'gen_ai.usage.output_tokens': 7,
        'gen_ai.usage.cache_read.input_tokens': 1000,
        'gen_ai.usage.cache_creation.input_tokens': 200,
      }),
    ).toEqual({ inputTokens: 1220, outputTokens: 7, cacheReadTokens: 1000, cacheWriteTokens: 200 });
  });
});

describe('readUsage: garbage values', () => {
  it.each<[string, unknown, number | undefined]>([
    ['a numeric string', '100', 100],
    ['a numeric string with spaces', ' 20 ', 20],
    ['the string "0"', '0', 0],
    ['a negative number, kept for pricing to flag', -5, -5],
    ['a fractional number, kept', 1.5, 1.5],
    ['NaN, kept', Number.NaN, Number.NaN],
    ['Infinity, kept', Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
    ['a bigint', BigInt(10), 10],
    ['a non-numeric string, ignored', 'abc', undefined],
    ['an empty string, ignored', '', undefined],
    ['a blank string, ignored', '   ', undefined],
    ['a boolean, ignored', true, undefined],
    ['an array, ignored', [1, 2], undefined],
    ['null, ignored', null, undefined],
    ['an object, ignored', { value: 1 }, undefined],
  ])('reads %s', (_title, value, expected) => {
    expect(toTokenCount(value)).toEqual(expected);
    const usage = readUsage({ 'gen_ai.usage.output_tokens': value });
    expect(usage).toEqual(expected === undefined ? undefined : { outputTokens: expected });
  });

  it('returns undefined, not throwing, when reading the attributes throws', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(readUsage(hostile)).toBeUndefined();
  });

  it('returns undefined when options throw when read', () => {
    const options = Object.defineProperty({}, 'inputExcludesCache', {
      get() {
        throw new Error('boom');
      },
    });
    expect(readUsage({ 'gen_ai.usage.input_tokens': 1 }, options)).toBeUndefined();
  });
});

describe('readUsage: absence', () => {
  it.each<[string, unknown]>([
    ['an empty record', {}],
    ['a span without usage', { 'http.request.method': 'GET', 'gen_ai.operation.name': 'chat' }],
    ['only garbage usage values', { 'gen_ai.usage.input_tokens': 'n/a', 'gen_ai.usage.output_tokens': null }],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
  ])('returns undefined for %s', (_title, attributes) => {
    expect(readUsage(attributes as Attrs)).toBeUndefined();
  });

  it('returns usage with only the fields present', () => {
    expect(readUsage({ 'gen_ai.usage.cache_read.input_tokens': 5 })).toEqual({ cacheReadTokens: 5 });
  });
});
