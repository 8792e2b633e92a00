import type { Exchange } from './internal-types';
import { openaiFinishReason } from './finish-reasons';
import { playStream } from './play-stream';
import { sendJson, providerHeaders } from './send-reply';
import { sseEvent, sseHeaders } from './sse';
import { openaiCompletionsUsage, wireUsage } from './wire-usage';
import { streamErrorObject } from './error-bodies';

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * Answers the legacy `POST /v1/completions`, as a `text_completion` (`choices[].text`,
 * `usage` with prompt, completion and total tokens only) or as a stream of
 * `text_completion` chunks ending in `data: [DONE]`: one chunk per delta (per
 * choice with `n`), then one per choice with empty text and its `finish_reason`.
 * With `stream_options.include_usage` a last chunk has `choices: []` and the
 * usage, and the others `usage: null`. As the real API, output is capped at 16
 * tokens when the request sets no `max_tokens`.
 */
export async function serveCompletions(exchange: Exchange): Promise<void> {
  const { reply, body, record, created } = exchange;
  const id = reply.id ?? `cmpl-fake${record.seq}`;
  const finishReason = openaiFinishReason(reply.finishReason);
  const common = { id, object: 'text_completion', created, model: reply.model };
  const choice = (index: number, text: string, finish: string | null): Record<string, unknown> => ({
    text,
    index,
    logprobs: null,
    finish_reason: finish,
  });

  if (body['stream'] !== true) {
    sendJson(exchange, 'openai', 200, {
      ...common,
      choices: range(reply.choices).map(i => choice(i, reply.text, finishReason)),
      usage: wireUsage(reply, openaiCompletionsUsage),
    });
    return;
  }

  const options = body['stream_options'];
  const includeUsage =
    typeof options === 'object' && options !== null && (options as Record<string, unknown>)['include_usage'] === true;
  const chunk = (choices: unknown[]): string => sseEvent({ ...common, choices, ...(includeUsage ? { usage: null } : {}) });

  await playStream(exchange, sseHeaders(providerHeaders('openai', exchange)), {
    preamble: () => [],
    delta: text => range(reply.choices).map(i => chunk([choice(i, text, null)])),
    epilogue: () => [
      ...range(reply.choices).map(i => chunk([choice(i, '', finishReason)])),
      ...(includeUsage ? [sseEvent({ ...common, choices: [], usage: wireUsage(reply, openaiCompletionsUsage) })] : []),
      sseEvent('[DONE]'),
    ],
    error: error => {
      const { type, message, code } = streamErrorObject('openai', error);
      return [sseEvent({ error: { message, type, param: null, code } })];
    },
  });
}
