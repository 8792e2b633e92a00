import type { TokenUsage } from '@costtrace/semconv';
import { isRecord, tokenCount } from '@costtrace/pipeline';

const decoder = new TextDecoder();

/**
 * JSON from what the SDK hands over: an InvokeModel body (`Uint8ArrayBlobAdapter`,
 * a `Uint8Array`), a stream chunk's `bytes`, or a request body given as a string.
 * Undefined when it is not JSON.
 */
export function decodeJson(value: unknown): unknown {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Uint8Array) text = decoder.decode(value);
  else return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Usage as Bedrock counts it outside the model's own JSON (Converse `usage`,
 * Nova's `usage`, a stream's `amazon-bedrock-invocationMetrics`, InvokeModel's
 * `x-amzn-bedrock-*-token-count` headers): input leaves out cache reads and
 * writes, so the total input is `input + cacheRead + cacheWrite`. Undefined
 * unless both the input and the output count are valid.
 */
export function bedrockUsage(input: unknown, output: unknown, cacheRead: unknown, cacheWrite: unknown): TokenUsage | undefined {
  const inputTokens = tokenCount(input);
  const outputTokens = tokenCount(output);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  const read = tokenCount(cacheRead) ?? 0;
  const write = tokenCount(cacheWrite) ?? 0;
  const usage: TokenUsage = { inputTokens: inputTokens + read + write, outputTokens };
  if (read > 0) usage.cacheReadTokens = read;
  if (write > 0) usage.cacheWriteTokens = write;
  return usage;
}

/** Converse and Nova `usage` (Converse names the cache counts `…InputTokens`, Nova's InvokeModel `…InputTokenCount`). */
export function readConverseUsage(raw: unknown): TokenUsage | undefined {
  if (!isRecord(raw)) return undefined;
  return bedrockUsage(
    raw['inputTokens'],
    raw['outputTokens'],
    raw['cacheReadInputTokens'] ?? raw['cacheReadInputTokenCount'],
    raw['cacheWriteInputTokens'] ?? raw['cacheWriteInputTokenCount'],
  );
}

/** A stream's last chunk's `amazon-bedrock-invocationMetrics`, every model family alike. */
export function readInvocationMetrics(chunk: Record<string, unknown>): TokenUsage | undefined {
  const metrics = chunk['amazon-bedrock-invocationMetrics'];
  if (!isRecord(metrics)) return undefined;
  return bedrockUsage(
    metrics['inputTokenCount'],
    metrics['outputTokenCount'],
    metrics['cacheReadInputTokenCount'],
    metrics['cacheWriteInputTokenCount'],
  );
}
