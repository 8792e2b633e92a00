import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import type { FakeLlm } from '../src/index';

/** The real openai client, pointed at the fake, with no retries. */
export function openaiFor(fake: FakeLlm): OpenAI {
  return new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'sk-test-secret', maxRetries: 0 });
}

/** The real Anthropic client, pointed at the fake, with no retries. */
export function anthropicFor(fake: FakeLlm): Anthropic {
  return new Anthropic({ baseURL: fake.anthropicBaseURL, apiKey: 'sk-ant-test-secret', maxRetries: 0 });
}

/** Reads a raw HTTP response body from the fake, for framing assertions. */
export async function rawPost(url: string, body: unknown): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Data payloads of the SSE events in `text`, with their event names. */
export function parseSse(text: string): Array<{ event: string | undefined; data: string }> {
  return text
    .split('\n\n')
    .filter(block => block.trim() !== '')
    .map(block => {
      const lines = block.split('\n');
      const event = lines.find(l => l.startsWith('event: '))?.slice('event: '.length);
      const data = lines.find(l => l.startsWith('data: '))?.slice('data: '.length) ?? '';
      return { event, data };
    });
}

/** The real `@google/genai` client (Gemini API), pointed at the fake, with no retries. */
export function geminiFor(fake: FakeLlm, options: { vertexai?: boolean } = {}): GoogleGenAI {
  return new GoogleGenAI({
    apiKey: 'gemini-test-secret',
    vertexai: options.vertexai ?? false,
    httpOptions: { baseUrl: fake.geminiBaseURL, retryOptions: { attempts: 1 } },
  });
}
