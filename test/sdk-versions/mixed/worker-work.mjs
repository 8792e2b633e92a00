// What service B does for a request (with the SDK client the service loaded): a stream with no
// max_tokens, then one more (streamed) call; each reported as the caller would see it.
const isBudgetError = (err) => err?.[Symbol.for('costtrace.BudgetExceededError')] === true;

export async function work(client) {
  let chunks = 0;
  let stream;
  try {
    const s = await client.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'research' }] });
    for await (const _ of s) chunks++;
    stream = { chunks, stopped: null };
  } catch (err) {
    if (!isBudgetError(err)) throw err;
    stream = { chunks, stopped: `${err.action} by ${err.scope?.name}` };
  }
  let next;
  try {
    // A stream too: a shared store may admit it provisionally and stop it when its answer comes.
    const more = await client.chat.completions.create({ model: 'gpt-4.1', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'more' }] });
    for await (const _ of more);
    next = 'sent';
  } catch (err) {
    if (!isBudgetError(err)) throw err;
    next = `${err.action} by ${err.scope?.name}`;
  }
  return { stream, next };
}
