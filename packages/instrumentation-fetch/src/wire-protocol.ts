import {
  GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC,
  GEN_AI_PROVIDER_NAME_VALUE_GCP_GEMINI,
  GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
} from '@costtrace/semconv';

/**
 * A model API's wire surface, recognised from the request's path (or named
 * for a base URL whose paths do not tell).
 */
export type WireSurface =
  | 'openai.chat'
  | 'openai.responses'
  | 'openai.completions'
  | 'openai.embeddings'
  | 'anthropic.messages'
  | 'gemini.generate_content';

/** A protocol family, for a base URL whose paths tell the surface. */
export type WireProtocol = 'openai' | 'anthropic' | 'gemini';

export const SURFACES: readonly WireSurface[] = [
  'openai.chat',
  'openai.responses',
  'openai.completions',
  'openai.embeddings',
  'anthropic.messages',
  'gemini.generate_content',
];

/** What a request path says about its surface (Gemini: also the model and whether it streams). */
export interface PathMatch {
  readonly surface: WireSurface;
  /** Gemini names the model in the path (`models/gemini-2.5-flash:generateContent`). */
  readonly model?: string;
  /** Gemini streams by method (`streamGenerateContent`), not by a body flag. */
  readonly streaming?: boolean;
}

const GEMINI_METHOD = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

/**
 * The surface a POST path (no query string) belongs to, by its tail, whatever
 * its prefix (`/v1`, Azure's `/openai/deployments/{d}`, OpenRouter's `/api/v1`):
 * OpenAI-compatible `…/chat/completions`, `…/responses`, `…/completions`,
 * `…/embeddings`; Anthropic `…/v1/messages`; Gemini and Vertex
 * `…/models/{model}:generateContent|streamGenerateContent`.
 */
export function surfaceOfPath(path: string): PathMatch | undefined {
  const tail = path.endsWith('/') ? path.slice(0, -1) : path;
  if (tail.endsWith('/chat/completions')) return { surface: 'openai.chat' };
  if (tail.endsWith('/responses')) return { surface: 'openai.responses' };
  if (tail.endsWith('/completions')) return { surface: 'openai.completions' };
  if (tail.endsWith('/embeddings')) return { surface: 'openai.embeddings' };
  if (tail.endsWith('/v1/messages')) return { surface: 'anthropic.messages' };
  if (tail.includes('Content')) {
    const m = GEMINI_METHOD.exec(tail);
    if (m) return { surface: 'gemini.generate_content', model: decodeURIComponent(m[1]!), streaming: m[2] === 'streamGenerateContent' };
  }
  return undefined;
}

/** True when `surface` belongs to `protocol`. */
export function surfaceIn(surface: WireSurface, protocol: WireProtocol): boolean {
  return surface.startsWith(`${protocol}.`);
}

/** `gen_ai.provider.name` of a call to a configured base URL that names no provider: by its protocol. */
export function defaultProvider(surface: WireSurface): string {
  if (surface === 'anthropic.messages') return GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC;
  if (surface === 'gemini.generate_content') return GEN_AI_PROVIDER_NAME_VALUE_GCP_GEMINI;
  return GEN_AI_PROVIDER_NAME_VALUE_OPENAI;
}
