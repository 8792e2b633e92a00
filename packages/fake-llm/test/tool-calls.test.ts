import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import type Anthropic from '@anthropic-ai/sdk';
import { startFakeLlm, type FakeLlm } from '../src/index';
import { anthropicFor, geminiFor, openaiFor, parseSse, rawPost } from './clients';

let fake: FakeLlm;
let openai: OpenAI;
let anthropic: Anthropic;

beforeEach(async () => {
  fake = await startFakeLlm();
  openai = openaiFor(fake);
  anthropic = anthropicFor(fake);
});

afterEach(async () => {
  await fake.close();
});

const weather = { name: 'get_weather', arguments: { city: 'Paris', units: 'celsius', days: [1, 2] } };
const chatTools: OpenAI.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } },
];
const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];

/** Whether a request carries the result of a tool call, on any wire. */
function hasToolResult(body: unknown): boolean {
  return /"role":"tool"|"function_call_output"|"tool_result"|"functionResponse"/.test(JSON.stringify(body));
}

describe('OpenAI chat completions', () => {
  it('returns message.tool_calls with finish_reason tool_calls and content null', async () => {
    fake.script({ toolCalls: [weather, { name: 'get_time', id: 'call_abc' }] });
    const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages, tools: chatTools });
    const [choice] = completion.choices;
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: 'call_fake1_0', type: 'function', function: { name: 'get_weather', arguments: JSON.stringify(weather.arguments) } },
      { id: 'call_abc', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
  });

  it('streams tool_call deltas that the SDK assembles into the same calls', async () => {
    fake.script({ text: 'Let me check.', toolCalls: [weather], usage: { outputTokens: 20 } });
    const stream = openai.chat.completions.stream({
      model: 'gpt-4o',
      messages,
      tools: chatTools,
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Let me check.');
    expect(final.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_fake1_0', type: 'function', function: { name: 'get_weather', arguments: JSON.stringify(weather.arguments) } },
    ]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.usage?.completion_tokens).toBe(20);
  });

  it('drives the SDK agent loop (runTools): a tool call, then a text answer', async () => {
    fake.script({ toolCalls: [weather] }, { text: 'Sunny, 21 degrees.' });
    const seen: unknown[] = [];
    const runner = openai.chat.completions.runTools({
      model: 'gpt-4o',
      messages,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather in a city',
            parameters: { type: 'object', properties: {} },
            parse: JSON.parse,
            function: (args: unknown) => {
              seen.push(args);
              return '21 C, sunny';
            },
          },
        },
      ],
    });
    expect(await runner.finalContent()).toBe('Sunny, 21 degrees.');
    expect(seen).toEqual([weather.arguments]);
    expect(fake.requests).toHaveLength(2);
    expect(hasToolResult(fake.requests[1]?.body)).toBe(true);
  });
});

describe('OpenAI Responses', () => {
  it('returns function_call output items after the message', async () => {
    fake.script({ text: 'Checking.', toolCalls: [weather] });
    const response = await openai.responses.create({ model: 'gpt-4.1', input: 'Weather in Paris?' });
    expect(response.status).toBe('completed');
    expect(response.output).toEqual([
      expect.objectContaining({ type: 'message', content: [expect.objectContaining({ text: 'Checking.' })] }),
      {
        id: 'fc_fake1_0',
        type: 'function_call',
        status: 'completed',
        arguments: JSON.stringify(weather.arguments),
        call_id: 'call_fake1_0',
        name: 'get_weather',
      },
    ]);
  });

  it('streams a function call as the Responses events, which the SDK assembles', async () => {
    fake.script({ toolCalls: [weather] });
    const stream = openai.responses.stream({ model: 'gpt-4.1', input: 'Weather in Paris?' });
    const types: string[] = [];
    stream.on('event', event => types.push(event.type));
    const final = await stream.finalResponse();
    expect(final.output).toEqual([expect.objectContaining({ type: 'function_call', name: 'get_weather', arguments: JSON.stringify(weather.arguments) })]);
    expect(types[0]).toBe('response.created');
    expect(types).toContain('response.function_call_arguments.delta');
    expect(types.slice(-3)).toEqual(['response.function_call_arguments.done', 'response.output_item.done', 'response.completed']);
    expect(types).not.toContain('response.output_text.delta');
  });

  it('scripts a handoff as the Agents SDK makes it, then routes the next turn by its tool output', async () => {
    fake.onRequest(request => (hasToolResult(request.body) ? { text: 'Billing here: refund issued.' } : undefined));
    fake.script({ toolCalls: [{ name: 'transfer_to_billing_agent' }] });
    const first = await openai.responses.create({ model: 'gpt-4.1', input: 'I want a refund' });
    const call = first.output[0];
    expect(call).toMatchObject({ type: 'function_call', name: 'transfer_to_billing_agent', arguments: '{}' });
    const second = await openai.responses.create({
      model: 'gpt-4.1',
      input: [
        { role: 'user', content: 'I want a refund' },
        call as OpenAI.Responses.ResponseFunctionToolCall,
        { type: 'function_call_output', call_id: (call as OpenAI.Responses.ResponseFunctionToolCall).call_id, output: '{"assistant":"billing_agent"}' },
      ],
    });
    expect(second.output_text).toBe('Billing here: refund issued.');
  });
});

describe('Anthropic messages', () => {
  const request = { model: 'claude-sonnet-4-6', max_tokens: 200, messages: [{ role: 'user' as const, content: 'Weather?' }] };

  it('returns tool_use blocks with stop_reason tool_use, and no empty text block', async () => {
    fake.script({ toolCalls: [weather] });
    const message = await anthropic.messages.create(request);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([{ type: 'tool_use', id: 'toolu_fake1_0', name: 'get_weather', input: weather.arguments }]);
  });

  it('streams tool_use input as input_json_delta, which the SDK parses into input', async () => {
    fake.script({ text: 'Let me look.', toolCalls: [weather, { name: 'get_time', id: 'toolu_x' }] });
    const final = await anthropic.messages.stream(request).finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content).toEqual([
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_use', id: 'toolu_fake1_0', name: 'get_weather', input: weather.arguments },
      { type: 'tool_use', id: 'toolu_x', name: 'get_time', input: {} },
    ]);
  });

  it('drives an agent loop: tool_use, then a text answer after the tool_result', async () => {
    fake.script({ toolCalls: [weather] }, { text: 'Sunny.' });
    const history: Anthropic.MessageParam[] = [...request.messages];
    let answer: Anthropic.Message;
    for (;;) {
      answer = await anthropic.messages.create({ ...request, messages: history });
      if (answer.stop_reason !== 'tool_use') break;
      history.push({ role: 'assistant', content: answer.content });
      history.push({
        role: 'user',
        content: answer.content.flatMap(block =>
          block.type === 'tool_use' ? [{ type: 'tool_result' as const, tool_use_id: block.id, content: '21 C' }] : [],
        ),
      });
    }
    expect(answer.content).toEqual([{ type: 'text', text: 'Sunny.' }]);
    expect(hasToolResult(fake.requests[1]?.body)).toBe(true);
  });

  it('sends the raw tool events as the real API does', async () => {
    fake.script({ toolCalls: [{ name: 'f', arguments: { a: 'long enough to split' } }] });
    const { text } = await rawPost(`${fake.url}/v1/messages`, { ...request, stream: true });
    const events = parseSse(text).map(e => e.event);
    expect(events).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta', // {"a":"long e
      'content_block_delta', // nough to spl
      'content_block_delta', // it"}
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });
});

describe('Gemini', () => {
  it('returns functionCall parts, which @google/genai exposes as functionCalls', async () => {
    fake.script({ toolCalls: [weather] });
    const response = await geminiFor(fake).models.generateContent({ model: 'gemini-2.5-flash', contents: 'Weather?' });
    expect(response.functionCalls).toEqual([{ name: 'get_weather', args: weather.arguments }]);
    expect(response.candidates?.[0]?.content?.parts).toEqual([{ functionCall: { name: 'get_weather', args: weather.arguments } }]);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('streams text, then the function calls in the last chunk with the totals', async () => {
    fake.script({ text: 'one two', toolCalls: [{ ...weather, id: 'fc-1' }] });
    const stream = await geminiFor(fake).models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Weather?' });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map(c => c.functionCalls)).toEqual([undefined, undefined, [{ id: 'fc-1', name: 'get_weather', args: weather.arguments }]]);
    expect(chunks[2]?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks[2]?.usageMetadata?.candidatesTokenCount).toBeGreaterThan(2);
  });
});

it('answers 400 for a malformed scripted tool call', async () => {
  fake.script({ toolCalls: [{ name: '' }] });
  const failure = await openai.chat.completions.create({ model: 'gpt-4o', messages }).catch((error: unknown) => error);
  expect(failure).toMatchObject({ status: 400 });
});
