import { bedrockApi } from './bedrock';
import type { FakeApi, FakeProvider } from './types';

/** Where a request goes: its provider and API, and what the path itself says about the call. */
export interface Route {
  provider: FakeProvider;
  api: FakeApi;
  /** The model named in the path (Gemini and Vertex AI put it there, not in the body). */
  model?: string;
  /** Whether the path asks for a stream (`:streamGenerateContent`). */
  stream?: boolean;
}

/** Path prefix of the control API. */
export const CONTROL_PREFIX = '/__fake/';

/**
 * Gemini API (`/v1beta/models/{model}:generateContent`, `/v1/…`, `tunedModels/…`)
 * and Vertex AI (`/v1/projects/{p}/locations/{l}/publishers/google/models/{model}:…`,
 * or without the project and location, as Vertex AI express mode sends it).
 */
const GEMINI_PATH =
  /^\/v1(?:alpha|beta1?)?\/(?:(?:projects\/[^/]+\/locations\/[^/]+\/)?publishers\/[^/]+\/models|models|tunedModels)\/([^/:]+):(generateContent|streamGenerateContent)$/;

function routeGemini(path: string): Route | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const match = GEMINI_PATH.exec(decoded);
  if (!match) return undefined;
  const method = match[2] as 'generateContent' | 'streamGenerateContent';
  return { provider: 'google', api: method, model: match[1], stream: method === 'streamGenerateContent' };
}

/**
 * Maps a method and path to the API it calls. A leading `/v1` is optional, so
 * a client given the bare server URL as its base works as well as one given
 * `url + '/v1'`.
 */
export function routeRequest(method: string, path: string): Route {
  if (path.startsWith(CONTROL_PREFIX)) return { provider: 'unknown', api: 'control' };
  const bedrock = bedrockApi(method, path);
  if (bedrock) return { provider: 'bedrock', api: bedrock };
  const bare = path.replace(/^\/v1(?=\/)/, '').replace(/\/+$/, '');
  if (method === 'POST') {
    switch (bare) {
      case '/chat/completions':
        return { provider: 'openai', api: 'chat.completions' };
      case '/responses':
        return { provider: 'openai', api: 'responses' };
      case '/completions':
        return { provider: 'openai', api: 'completions' };
      case '/embeddings':
        return { provider: 'openai', api: 'embeddings' };
      case '/messages':
        return { provider: 'anthropic', api: 'messages' };
      case '/messages/count_tokens':
        return { provider: 'anthropic', api: 'messages.count_tokens' };
    }
    const gemini = routeGemini(path);
    if (gemini) return gemini;
  }
  if (/:(?:stream)?[gG]enerateContent$/.test(path)) return { provider: 'google', api: 'unknown' };
  return { provider: bare.startsWith('/messages') ? 'anthropic' : 'openai', api: 'unknown' };
}
