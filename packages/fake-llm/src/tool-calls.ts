import type { ScriptedToolCall } from './types';

/** A scripted tool call with its arguments serialized, as every wire sends them. */
export interface ResolvedToolCall {
  /** The scripted id; each wire fills in its own kind of id when there is none. */
  id: string | undefined;
  name: string;
  arguments: Record<string, unknown>;
  /** `arguments` as JSON. */
  json: string;
  /** `json` cut into the pieces a stream sends (`arguments` deltas, `input_json_delta`s). */
  pieces: string[];
}

/** Characters of arguments JSON per streamed delta. */
const PIECE_CHARS = 12;

function piecesOf(json: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < json.length; i += PIECE_CHARS) pieces.push(json.slice(i, i + PIECE_CHARS));
  return pieces;
}

/** Validates and serializes the scripted tool calls; throws on a malformed one (the fake answers 400). */
export function resolveToolCalls(calls: readonly ScriptedToolCall[] | undefined): ResolvedToolCall[] {
  if (calls === undefined) return [];
  if (!Array.isArray(calls)) throw new TypeError('toolCalls must be an array');
  return calls.map((call, i) => {
    if (typeof call?.name !== 'string' || call.name === '') throw new TypeError(`toolCalls[${i}].name must be a string`);
    const args = call.arguments ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw new TypeError(`toolCalls[${i}].arguments must be an object`);
    }
    const json = JSON.stringify(args);
    return { id: call.id, name: call.name, arguments: args, json, pieces: piecesOf(json) };
  });
}

/** Output tokens a reply made of tool calls reports by default: a quarter token per character, at least 1 each. */
export function toolCallTokens(calls: readonly ResolvedToolCall[]): number {
  return calls.reduce((sum, call) => sum + Math.max(1, Math.ceil((call.name.length + call.json.length) / 4)), 0);
}

/** The id of tool call `index` of request `seq` on a wire whose ids start with `prefix` (`call_`, `toolu_`). */
export function toolCallId(call: ResolvedToolCall, prefix: string, seq: number, index: number): string {
  return call.id ?? `${prefix}fake${seq}_${index}`;
}
