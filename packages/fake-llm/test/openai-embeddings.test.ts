import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFakeLlm, type FakeLlm } from '../src/index';
import { openaiFor } from './clients';

let fake: FakeLlm;
let openai: OpenAI;

beforeEach(async () => {
  fake = await startFakeLlm();
  openai = openaiFor(fake);
});

afterEach(async () => {
  await fake.close();
});

describe('OpenAI embeddings', () => {
  it('answers the base64 encoding the SDK requests by default, decoded to the same floats', async () => {
    const byDefault = await openai.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta'] });
    expect(fake.requests[0]?.body).toMatchObject({ encoding_format: 'base64' });
    const asFloat = await openai.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['alpha', 'beta'],
      encoding_format: 'float',
    });
    expect(byDefault.data).toHaveLength(2);
    expect(Array.from(byDefault.data[0]?.embedding ?? [])).toEqual(asFloat.data[0]?.embedding);
    expect(Array.from(byDefault.data[1]?.embedding ?? [])).toEqual(asFloat.data[1]?.embedding);
    expect(asFloat.data[0]?.embedding).not.toEqual(asFloat.data[1]?.embedding);
  });

  it('returns the list shape with scripted usage and the requested dimensions', async () => {
    fake.script({ usage: { inputTokens: 42 } });
    const result = await openai.embeddings.create({
      model: 'text-embedding-3-large',
      input: 'hello',
      dimensions: 4,
      encoding_format: 'float',
    });
    expect(result).toEqual({
      object: 'list',
      model: 'text-embedding-3-large',
      data: [{ object: 'embedding', index: 0, embedding: expect.any(Array) }],
      usage: { prompt_tokens: 42, total_tokens: 42 },
    });
    expect(result.data[0]?.embedding).toHaveLength(4);
  });

  it('estimates input tokens from the text by default', async () => {
    const result = await openai.embeddings.create({ model: 'm', input: 'x'.repeat(40), encoding_format: 'float' });
    expect(result.usage).toEqual({ prompt_tokens: 10, total_tokens: 10 });
  });
});
