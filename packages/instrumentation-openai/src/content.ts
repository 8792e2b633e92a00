import type { Attributes } from '@opentelemetry/api';
import { ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_OUTPUT_MESSAGES, ATTR_GEN_AI_SYSTEM_INSTRUCTIONS } from '@costtrace/semconv';
import { asObject } from '@costtrace/pipeline';

// Captured content follows the GenAI message schema of semconv 1.37: messages
// of `{ role, parts }`, parts of `text`, `tool_call`, `tool_call_response`, or
// just their `type` for media (image, audio and file payloads are never copied).

type Json = Record<string, unknown>;

export interface MessagePart {
  type: string;
  content?: string;
  id?: string;
  name?: string;
  arguments?: string;
  response?: string;
}

export interface ContentMessage {
  role: string;
  parts: MessagePart[];
  finish_reason?: string;
}

const SYSTEM_ROLES = new Set(['system', 'developer']);

/** Cuts a text part at `max` characters; the JSON around it stays valid. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `gen_ai.input.messages` and `gen_ai.system_instructions` of a chat completions request. */
export function chatInputAttributes(messages: unknown, max: number): Attributes {
  if (!Array.isArray(messages)) return {};
  const system: MessagePart[] = [];
  const input: ContentMessage[] = [];
  for (const message of messages) {
    const m = asObject(message);
    if (!m) continue;
    const role = typeof m['role'] === 'string' ? m['role'] : 'user';
    const parts = contentParts(m['content'], max);
    if (SYSTEM_ROLES.has(role)) {
      system.push(...parts);
      continue;
    }
    if (role === 'tool') {
      const response = parts.map((p) => p.content ?? '').join('');
      input.push({ role, parts: [{ type: 'tool_call_response', id: str(m['tool_call_id']), response }] });
      continue;
    }
    for (const call of Array.isArray(m['tool_calls']) ? m['tool_calls'] : []) parts.push(toolCallPart(call, max));
    input.push({ role, parts });
  }
  return messageAttributes(input, system);
}

/** `gen_ai.output.messages` of a chat completion's choices. */
export function chatOutputAttributes(choices: unknown, max: number): Attributes {
  if (!Array.isArray(choices)) return {};
  const output: ContentMessage[] = [];
  for (const choice of choices) {
    const c = asObject(choice);
    const message = asObject(c?.['message']);
    if (!c || !message) continue;
    const parts = contentParts(message['content'], max);
    if (typeof message['refusal'] === 'string') parts.push({ type: 'text', content: truncate(message['refusal'], max) });
    for (const call of Array.isArray(message['tool_calls']) ? message['tool_calls'] : []) parts.push(toolCallPart(call, max));
    output.push({ role: 'assistant', parts, ...finish(c['finish_reason']) });
  }
  return { [ATTR_GEN_AI_OUTPUT_MESSAGES]: JSON.stringify(output) };
}

/** `gen_ai.output.messages` from text accumulated per choice of a stream. */
export function streamOutputAttributes(texts: ReadonlyMap<number, string>, finishReasons: ReadonlyMap<number, string>): Attributes {
  const output: ContentMessage[] = [...texts.keys()]
    .sort((a, b) => a - b)
    .map((index) => ({
      role: 'assistant',
      parts: [{ type: 'text', content: texts.get(index) ?? '' }],
      ...finish(finishReasons.get(index)),
    }));
  return { [ATTR_GEN_AI_OUTPUT_MESSAGES]: JSON.stringify(output) };
}

/** `gen_ai.input.messages` and `gen_ai.system_instructions` of a Responses request. */
export function responsesInputAttributes(params: Json, max: number): Attributes {
  const system: MessagePart[] = [];
  if (typeof params['instructions'] === 'string') system.push({ type: 'text', content: truncate(params['instructions'], max) });
  const input: ContentMessage[] = [];
  const items = typeof params['input'] === 'string' ? [{ role: 'user', content: params['input'] }] : params['input'];
  for (const item of Array.isArray(items) ? items : []) {
    const i = asObject(item);
    if (!i) continue;
    if (i['type'] === 'function_call_output') {
      input.push({ role: 'tool', parts: [{ type: 'tool_call_response', id: str(i['call_id']), response: truncate(textOf(i['output']), max) }] });
    } else if (i['type'] === 'function_call') {
      input.push({ role: 'assistant', parts: [toolCallPart(i, max)] });
    } else if (typeof i['role'] === 'string') {
      const parts = contentParts(i['content'], max);
      if (SYSTEM_ROLES.has(i['role'])) system.push(...parts);
      else input.push({ role: i['role'], parts });
    } else {
      input.push({ role: 'user', parts: [{ type: typeof i['type'] === 'string' ? i['type'] : 'unknown' }] });
    }
  }
  return messageAttributes(input, system);
}

/** `gen_ai.output.messages` of a Responses `output` array. */
export function responsesOutputAttributes(output: unknown, status: string | undefined, max: number): Attributes {
  const parts: MessagePart[] = [];
  for (const item of Array.isArray(output) ? output : []) {
    const i = asObject(item);
    if (!i) continue;
    if (i['type'] === 'message') parts.push(...contentParts(i['content'], max));
    else if (i['type'] === 'function_call') parts.push(toolCallPart(i, max));
  }
  return { [ATTR_GEN_AI_OUTPUT_MESSAGES]: JSON.stringify([{ role: 'assistant', parts, ...finish(status) }]) };
}

function messageAttributes(input: ContentMessage[], system: MessagePart[]): Attributes {
  const attrs: Attributes = { [ATTR_GEN_AI_INPUT_MESSAGES]: JSON.stringify(input) };
  if (system.length > 0) attrs[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = JSON.stringify(system);
  return attrs;
}

function contentParts(content: unknown, max: number): MessagePart[] {
  if (typeof content === 'string') return [{ type: 'text', content: truncate(content, max) }];
  if (!Array.isArray(content)) return [];
  const parts: MessagePart[] = [];
  for (const part of content) {
    const p = asObject(part);
    if (!p) continue;
    const text = typeof p['text'] === 'string' ? p['text'] : typeof p['refusal'] === 'string' ? p['refusal'] : undefined;
    parts.push(text === undefined ? { type: str(p['type']) ?? 'unknown' } : { type: 'text', content: truncate(text, max) });
  }
  return parts;
}

function toolCallPart(value: unknown, max: number): MessagePart {
  const call = asObject(value) ?? {};
  const fn = asObject(call['function']) ?? call;
  return {
    type: 'tool_call',
    id: str(call['id']) ?? str(call['call_id']),
    name: str(fn['name']),
    arguments: truncate(textOf(fn['arguments']), max),
  };
}

function finish(reason: unknown): { finish_reason?: string } {
  return typeof reason === 'string' ? { finish_reason: reason } : {};
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
