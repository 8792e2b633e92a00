// What service B does for a request (with the SDK client the service loaded): a stream with no
// max_tokens, then one more (streamed) call; each reported as the caller would see it.
import { findBudgetExceededError } from '@costtrace/core';

export async function work(client) {
  let chunks = 0;
  let stream;
  try {
    const s = await client.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'research' }] });
    for await (const _ of s) chunks++;
    stream = { chunks, stopped: null };
  } catch (err) {
    // Stopped before its response came, the SDK's abort error carries the budget error as its cause.
    const stop = findBudgetExceededError(err);
    if (!stop) throw err;
    stream = { chunks, stopped: `${stop.action} by ${stop.scope.name}` };
  }
  let next;
  try {
    // A stream too: a shared store may admit it provisionally and stop it when its answer comes.
    const more = await client.chat.completions.create({ model: 'gpt-4.1', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'more' }] });
    for await (const _ of more);
    next = 'sent';
  } catch (err) {
    const stop = findBudgetExceededError(err);
    if (!stop) throw err;
    next = `${stop.action} by ${stop.scope.name}`;
  }
  return { stream, next };
}
