import { registry } from './registry';

/**
 * Tells which agent of a framework is running in the current async context
 * (an OpenAI Agents SDK agent, a LangGraph node, a Mastra agent), or undefined.
 * Called synchronously as a model call starts; must be cheap and must not throw.
 */
export type AgentNameSource = () => string | undefined;

/**
 * Registers a framework adapter's agent-name source under `id` (the adapter's
 * name), replacing an earlier one with that id: a second copy of costtrace
 * (ESM and CommonJS) registers once, not twice.
 */
export function setAgentNameSource(id: string, source: AgentNameSource | undefined): void {
  const sources = registry().agentNames;
  if (source === undefined) sources.delete(id);
  else sources.set(id, source);
}

/**
 * The agent a framework says is running, asked of each registered adapter in
 * turn; undefined when none knows. An adapter that throws is skipped.
 */
export function frameworkAgentName(): string | undefined {
  const sources = registry().agentNames;
  if (sources.size === 0) return undefined;
  for (const source of sources.values()) {
    try {
      const name = source();
      if (typeof name === 'string' && name !== '') return name;
    } catch {
      // An adapter's bug must not break a model call; the next one may know.
    }
  }
  return undefined;
}
