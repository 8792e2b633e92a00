import type { TokenUsage } from '@costtrace/semconv';
import { isRecord } from '@costtrace/pipeline';
import { bedrockUsage, readConverseUsage } from './read-json';

/** What one body or stream chunk of a model family's own JSON says. */
export interface FamilyRead {
  text: string;
  stopReason?: string;
  /** The family's own exact count, where its JSON carries one. */
  usage?: TokenUsage;
}

/**
 * A model family's InvokeModel JSON, other than Anthropic's (read by the
 * Anthropic instrumentation's messages codec). Every family's stream ends with
 * `amazon-bedrock-invocationMetrics`, read by the codec itself.
 */
export interface InvokeFamily {
  /** Request fields that hold the prompt. */
  readonly promptFields: readonly string[];
  /** The request's output cap and temperature. */
  maxTokens(params: Record<string, unknown>): unknown;
  temperature(params: Record<string, unknown>): unknown;
  body(json: Record<string, unknown>): FamilyRead;
  chunk(json: Record<string, unknown>): FamilyRead;
}

/** Amazon Nova: the Converse shapes inside the body (`output.message`, `stopReason`, `usage`; stream `contentBlockDelta`, `messageStop`, `metadata`). */
export const NOVA: InvokeFamily = {
  promptFields: ['system', 'messages', 'toolConfig'],
  maxTokens: (p) => (isRecord(p['inferenceConfig']) ? p['inferenceConfig']['max_new_tokens'] : undefined),
  temperature: (p) => (isRecord(p['inferenceConfig']) ? p['inferenceConfig']['temperature'] : undefined),
  body(json) {
    const output = isRecord(json['output']) && isRecord(json['output']['message']) ? json['output']['message'] : {};
    return { text: blocksText(output['content']), ...stop(json['stopReason']), ...usage(readConverseUsage(json['usage'])) };
  },
  chunk(json) {
    const block = isRecord(json['contentBlockDelta']) ? json['contentBlockDelta']['delta'] : undefined;
    const text = isRecord(block) && typeof block['text'] === 'string' ? block['text'] : '';
    const messageStop = isRecord(json['messageStop']) ? json['messageStop']['stopReason'] : undefined;
    const metadata = isRecord(json['metadata']) ? readConverseUsage(json['metadata']['usage']) : undefined;
    return { text, ...stop(messageStop), ...usage(metadata) };
  },
};

/** Meta Llama: `generation`, `prompt_token_count`, `generation_token_count`, `stop_reason`. */
export const LLAMA: InvokeFamily = {
  promptFields: ['prompt'],
  maxTokens: (p) => p['max_gen_len'],
  temperature: (p) => p['temperature'],
  body(json) {
    const text = typeof json['generation'] === 'string' ? json['generation'] : '';
    return { text, ...stop(json['stop_reason']), ...usage(bedrockUsage(json['prompt_token_count'], json['generation_token_count'], 0, 0)) };
  },
  // A chunk's counts are running ones (the prompt's only in the first): the last chunk's metrics are final.
  chunk: (json) => ({ text: typeof json['generation'] === 'string' ? json['generation'] : '', ...stop(json['stop_reason']) }),
};

/**
 * Mistral: the text-completion shape (`prompt` → `outputs[0].text`, `stop_reason`)
 * or the chat shape (`messages` → `choices[0].message.content`). Its body has no
 * usage: InvokeModel's token-count headers carry it.
 */
export const MISTRAL: InvokeFamily = {
  promptFields: ['prompt', 'messages', 'tools'],
  maxTokens: (p) => p['max_tokens'],
  temperature: (p) => p['temperature'],
  body: (json) => mistralRead(json),
  chunk: (json) => mistralRead(json),
};

/** Any other model: usage from the headers or the stream's metrics only. */
export const OTHER: InvokeFamily = {
  promptFields: ['prompt', 'messages', 'system', 'inputText', 'message'],
  maxTokens: (p) => p['max_tokens'] ?? p['max_gen_len'],
  temperature: (p) => p['temperature'],
  body: () => ({ text: '' }),
  chunk: () => ({ text: '' }),
};

function mistralRead(json: Record<string, unknown>): FamilyRead {
  const outputs = Array.isArray(json['outputs']) && isRecord(json['outputs'][0]) ? json['outputs'][0] : undefined;
  if (outputs) return { text: typeof outputs['text'] === 'string' ? outputs['text'] : '', ...stop(outputs['stop_reason']) };
  const choice = Array.isArray(json['choices']) && isRecord(json['choices'][0]) ? json['choices'][0] : {};
  const message = isRecord(choice['message']) ? choice['message'] : isRecord(choice['delta']) ? choice['delta'] : {};
  return { text: typeof message['content'] === 'string' ? message['content'] : '', ...stop(choice['stop_reason'] ?? choice['finish_reason']) };
}

function stop(value: unknown): { stopReason?: string } {
  return typeof value === 'string' && value !== '' ? { stopReason: value } : {};
}

function usage(value: TokenUsage | undefined): { usage?: TokenUsage } {
  return value ? { usage: value } : {};
}

function blocksText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content) if (isRecord(block) && typeof block['text'] === 'string') text += block['text'];
  return text;
}
