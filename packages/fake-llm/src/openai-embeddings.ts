import type { Exchange } from './internal-types';
import { embeddingInputs } from './estimate-tokens';
import { sendJson } from './send-reply';
import { openaiEmbeddingsUsage, wireUsage } from './wire-usage';

/** Embedding size when neither the reply nor the request sets one (real models have 256 to 3072). */
const DEFAULT_DIMENSIONS = 8;

/** FNV-1a of a string: a stable seed per input. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic unit-ish vector of float32 values for one input. */
function vectorFor(input: unknown, dimensions: number): number[] {
  let state = hash(JSON.stringify(input) ?? '') || 1;
  const vector: number[] = [];
  for (let i = 0; i < dimensions; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    // Rounded to float32 so the float and base64 encodings decode to the same numbers.
    vector.push(Math.fround(state / 0x80000000 - 1));
  }
  return vector;
}

/**
 * Answers `POST /v1/embeddings`. Honors `encoding_format: 'base64'` (little-endian
 * float32 bytes), which openai-node requests by default since 4.91 and in every
 * 5.x and later release, decoding the answer before the caller sees it.
 */
export async function serveEmbeddings(exchange: Exchange): Promise<void> {
  const { reply, body } = exchange;
  const requested = body['dimensions'];
  const dimensions = reply.dimensions ?? (typeof requested === 'number' && requested > 0 ? requested : DEFAULT_DIMENSIONS);
  const base64 = body['encoding_format'] === 'base64';
  const data = embeddingInputs(body).map((input, index) => {
    const vector = vectorFor(input, dimensions);
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  sendJson(exchange, 'openai', 200, {
    object: 'list',
    data,
    model: reply.model,
    usage: wireUsage(reply, openaiEmbeddingsUsage),
  });
}
