import { bedrockApi } from './bedrock';
import type { FakeApi, FakeProvider } from './types';

/** Where a request goes: its provider and API. */
export interface Route {
  provider: FakeProvider;
  api: FakeApi;
}

/** Path prefix of the control API. */
export const CONTROL_PREFIX = '/__fake/';

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
      case '/embeddings':
        return { provider: 'openai', api: 'embeddings' };
      case '/messages':
        return { provider: 'anthropic', api: 'messages' };
      case '/messages/count_tokens':
        return { provider: 'anthropic', api: 'messages.count_tokens' };
    }
  }
  return { provider: bare.startsWith('/messages') ? 'anthropic' : 'openai', api: 'unknown' };
}
