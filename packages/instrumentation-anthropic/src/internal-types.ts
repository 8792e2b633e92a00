// Shapes of `@anthropic-ai/sdk` objects as this package reads them. The SDK is
// never imported at runtime; every field is read defensively.

/** `client.messages` / `client.beta.messages`: a resource with its client. */
export interface MessagesResource {
  _client?: SdkClient;
}

export interface SdkClient {
  baseURL?: unknown;
  /** 0.137 and 1.x: the client's tracer, `undefined` when its spans are off. */
  _tracer?: unknown;
}

export type AnyFunction = (...args: unknown[]) => unknown;

/** The SDK's APIPromise, as far as it is observed (private members included). */
export interface ApiPromiseLike {
  parse?: AnyFunction;
  asResponse?: AnyFunction;
}

/** The SDK's `Stream` of raw message events. */
export interface SdkStream {
  controller?: { signal?: AbortSignal };
  [Symbol.asyncIterator]: () => AsyncIterator<unknown>;
}

/** The request of `messages.create` as read here. */
export type MessageParams = Record<string, unknown>;

/** Module exports of `@anthropic-ai/sdk` (CJS `index.js` or the ESM namespace). */
export interface SdkModule {
  Anthropic?: SdkClientClass;
  default?: SdkClientClass;
  APIPromise?: new (...args: unknown[]) => unknown;
}

export interface SdkClientClass {
  Messages?: { prototype: object };
  Beta?: { Messages?: { prototype: object } };
}
