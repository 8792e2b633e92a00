import { context, createContextKey, type Context } from '@opentelemetry/api';

/** The LangGraph node a chat model's stream was started in, carried in the OpenTelemetry context. */
const STREAM_NODE = createContextKey('costtrace.langgraph.stream_node');

/** The node a stream started in, where a stream step is running; undefined elsewhere. */
export function streamingNode(): string | undefined {
  const node = context.active().getValue(STREAM_NODE);
  return typeof node === 'string' ? node : undefined;
}

/**
 * Runs every step of a model's stream (`BaseChatModel._streamIterator`,
 * `BaseLLM._streamIterator`) in a context naming `node`.
 *
 * LangChain steps a stream's generator inside `runWithConfig(…, true)`, which
 * with no LangSmith tracer runs it with *no* config in its AsyncLocalStorage
 * (`@langchain/core` 1.x `AsyncGeneratorWithSetup`): the model call the stream
 * makes cannot see its node there. The node is read where the stream starts,
 * from the config LangChain hands `_streamIterator`.
 */
export function streamInNode<T>(generator: AsyncGenerator<T>, node: string): AsyncGenerator<T> {
  const ctx: Context = context.active().setValue(STREAM_NODE, node);
  const step = <R>(fn: () => Promise<R>): Promise<R> => context.with(ctx, fn);
  const wrapped: AsyncGenerator<T> = {
    next: (...args: [] | [unknown]) => step(() => generator.next(...args)),
    return: (value) => step(() => generator.return(value)),
    throw: (err) => step(() => generator.throw(err)),
    [Symbol.asyncIterator]() {
      return wrapped;
    },
    [Symbol.asyncDispose]: async () => {
      await step(() => generator.return(undefined as never));
    },
  } as AsyncGenerator<T>;
  return wrapped;
}

/** `metadata.langgraph_node` of a RunnableConfig, or undefined. */
export function nodeOfConfig(config: unknown): string | undefined {
  const node = (config as { metadata?: { langgraph_node?: unknown } } | undefined)?.metadata?.langgraph_node;
  return typeof node === 'string' && node !== '' ? node : undefined;
}
