// Shapes of `@aws-sdk/client-bedrock-runtime` objects as this package reads them.
// The SDK is never imported at runtime; every field is read defensively.
import type { TokenUsage } from '@costtrace/semconv';

export type AnyFunction = (...args: unknown[]) => unknown;

/** A command: `new ConverseCommand(input)`; its class tells the operation. */
export interface SdkCommand {
  readonly input?: unknown;
  constructor: new (input: unknown) => SdkCommand;
}

/** The smithy client `send` runs on. */
export interface SdkClient {
  middlewareStack?: {
    add(middleware: unknown, options: Record<string, unknown>): void;
  };
}

/** Module exports of `@aws-sdk/client-bedrock-runtime` (CJS `index.js` or the ESM namespace). */
export interface SdkModule {
  BedrockRuntimeClient?: { prototype: object };
  ConverseCommand?: unknown;
  ConverseStreamCommand?: unknown;
  InvokeModelCommand?: unknown;
  InvokeModelWithResponseStreamCommand?: unknown;
}

/** The four operations with a model call. */
export type Operation = 'converse' | 'converse-stream' | 'invoke' | 'invoke-stream';

/** What the client middleware learns of one call on the wire. */
export interface BedrockCallState {
  /** InvokeModel's `x-amzn-bedrock-*-token-count` response headers, when present. */
  headerUsage?: TokenUsage;
}
