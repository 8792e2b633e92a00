import type { Attributes } from '@opentelemetry/api';
import { ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_OUTPUT_MESSAGES, ATTR_GEN_AI_SYSTEM_INSTRUCTIONS } from '@costtrace/semconv';
import { isRecord } from '@costtrace/pipeline';

// Opt-in content capture, in the GenAI message schema (semconv 1.37):
// `[{ role, parts: [{ type: 'text', content }, …] }]`. Binary parts (images,
// documents) keep their type and nothing else.

type Part = Record<string, unknown>;

/** `gen_ai.system_instructions` and `gen_ai.input.messages` of a request. */
export function inputContentAttributes(params: Record<string, unknown>, maxLength: number): Attributes {
  const attrs: Attributes = {};
  const system = params['system'];
  if (system !== undefined && system !== null) attrs[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = cut(json(toParts(system)), maxLength);
  const messages = Array.isArray(params['messages']) ? params['messages'] : [];
  const input = messages.map((m) =>
    isRecord(m) ? { role: String(m['role'] ?? 'user'), parts: toParts(m['content']) } : { role: 'user', parts: [] },
  );
  attrs[ATTR_GEN_AI_INPUT_MESSAGES] = cut(json(input), maxLength);
  return attrs;
}

/** `gen_ai.output.messages` of a response's content blocks. */
export function outputContentAttributes(content: unknown, stopReason: string | undefined, maxLength: number): Attributes {
  const message: Record<string, unknown> = { role: 'assistant', parts: toParts(content) };
  if (stopReason) message['finish_reason'] = stopReason;
  return { [ATTR_GEN_AI_OUTPUT_MESSAGES]: cut(json([message]), maxLength) };
}

function toParts(content: unknown): Part[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  return content.map(toPart);
}

function toPart(block: unknown): Part {
  if (!isRecord(block)) return { type: 'text', content: String(block) };
  switch (block['type']) {
    case 'text':
      return { type: 'text', content: block['text'] };
    case 'thinking':
      return { type: 'reasoning', content: block['thinking'] };
    case 'tool_use':
    case 'server_tool_use':
      return { type: 'tool_call', id: block['id'], name: block['name'], arguments: block['input'] };
    case 'tool_result':
      return { type: 'tool_call_response', id: block['tool_use_id'], response: block['content'] };
    default:
      return { type: String(block['type'] ?? 'unknown') };
  }
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function cut(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}
