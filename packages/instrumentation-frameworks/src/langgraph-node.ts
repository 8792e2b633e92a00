import { nodeOfConfig, streamingNode } from './langchain-stream-node';

/** The parts of a LangChain `RunnableConfig` this adapter reads. */
interface RunnableConfigLike {
  metadata?: { langgraph_node?: unknown };
}

/** `@langchain/core`'s `AsyncLocalStorageProviderSingleton`, as far as this adapter uses it. */
export interface RunnableConfigProvider {
  getRunnableConfig(): RunnableConfigLike | undefined;
}

/**
 * The LangGraph node whose task is running: LangGraph writes its name into the
 * task's config metadata (`langgraph_node`), and LangChain keeps the current
 * config in an AsyncLocalStorage that every runnable inside the node (a chat
 * model's `invoke` included) runs in. A model's stream runs outside that
 * storage; its node comes from the context `streamInNode` gave it.
 */
export function runningNode(provider: RunnableConfigProvider): string | undefined {
  return nodeOfConfig(provider.getRunnableConfig()) ?? streamingNode();
}
