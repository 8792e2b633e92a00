import { describe, expect, it } from 'vitest';
import { matchRequest } from '../src/match-request';
import { resolveOptions } from '../src/options';

const none = resolveOptions({}, {});
const match = (url: string, options = none) => {
  const m = matchRequest(url, options);
  return m && [m.surface, m.provider, ...(m.pathModel === undefined ? [] : [m.pathModel, m.pathStreaming])];
};

describe('recognising model calls by wire protocol', () => {
  it.each([
    ['https://api.openai.com/v1/chat/completions', ['openai.chat', 'openai']],
    ['https://api.openai.com/v1/responses', ['openai.responses', 'openai']],
    ['https://api.openai.com/v1/completions', ['openai.completions', 'openai']],
    ['https://api.openai.com/v1/embeddings', ['openai.embeddings', 'openai']],
    ['https://my-res.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21', ['openai.chat', 'azure.ai.openai']],
    ['https://my-res.cognitiveservices.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21', ['openai.embeddings', 'azure.ai.openai']],
    ['https://openrouter.ai/api/v1/chat/completions', ['openai.chat', 'openrouter']],
    ['https://api.groq.com/openai/v1/chat/completions', ['openai.chat', 'groq']],
    ['https://api.mistral.ai/v1/chat/completions', ['openai.chat', 'mistral_ai']],
    ['https://api.deepseek.com/chat/completions', ['openai.chat', 'deepseek']],
    ['https://api.x.ai/v1/chat/completions', ['openai.chat', 'x_ai']],
    ['https://api.anthropic.com/v1/messages', ['anthropic.messages', 'anthropic']],
    ['https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent', ['gemini.generate_content', 'gcp.gemini', 'gemini-2.5-flash', false]],
    [
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
      ['gemini.generate_content', 'gcp.gemini', 'gemini-2.5-pro', true],
    ],
    [
      'https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
      ['gemini.generate_content', 'gcp.vertex_ai', 'gemini-2.5-flash', true],
    ],
    ['https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-flash:generateContent', ['gemini.generate_content', 'gcp.vertex_ai', 'gemini-2.5-flash', false]],
  ])('%s', (url, expected) => {
    expect(match(url)).toEqual(expected);
  });

  it.each([
    'https://api.openai.com/v1/models',
    'https://api.openai.com/v1/files',
    'https://api.anthropic.com/v1/messages/count_tokens',
    'https://api.anthropic.com/v1/messages/batches',
    'https://example.com/v1/chat/completions',
    'http://127.0.0.1:8000/v1/chat/completions',
    'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens',
    'not a url',
  ])('leaves %s alone', (url) => {
    expect(match(url)).toBeUndefined();
  });

  it('takes base URLs from the option or COSTTRACE_FETCH_BASE_URLS, code first', () => {
    const env = { COSTTRACE_FETCH_BASE_URLS: 'http://127.0.0.1:4000, http://gw.internal/llm=openai.chat,http://localhost:11434/=anthropic' };
    const fromEnv = resolveOptions({}, env);
    expect(match('http://127.0.0.1:4000/v1/chat/completions', fromEnv)).toEqual(['openai.chat', 'openai']);
    expect(match('http://127.0.0.1:4000/v1/messages', fromEnv)).toEqual(['anthropic.messages', 'anthropic']);
    expect(match('http://127.0.0.1:40001/v1/chat/completions', fromEnv)).toBeUndefined();
    expect(match('http://gw.internal/llm/generate', fromEnv)).toEqual(['openai.chat', 'openai']);
    expect(match('http://gw.internal/other/generate', fromEnv)).toBeUndefined();
    // A family keeps only its own surfaces.
    expect(match('http://localhost:11434/v1/chat/completions', fromEnv)).toBeUndefined();
    expect(match('http://localhost:11434/v1/messages', fromEnv)).toEqual(['anthropic.messages', 'anthropic']);
    const fromCode = resolveOptions({ baseUrls: [{ url: 'http://10.0.0.5:8000/v1', provider: 'vllm' }] }, env);
    expect(match('http://10.0.0.5:8000/v1/chat/completions', fromCode)).toEqual(['openai.chat', 'vllm']);
    expect(match('http://127.0.0.1:4000/v1/chat/completions', fromCode)).toBeUndefined();
  });

  it('warns about an unusable entry and uses the default', () => {
    expect(resolveOptions({}, { COSTTRACE_FETCH_BASE_URLS: 'ftp://x,http://ok' }).baseUrls).toEqual([]);
    expect(resolveOptions({ baseUrls: [{ url: 'http://a', protocol: 'bogus' as 'openai' }] }, {}).baseUrls).toEqual([]);
  });
});
