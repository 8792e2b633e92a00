import { diag } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { setAgentNameSource } from '@costtrace/pipeline';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info';
import { majorMinor } from './semver-range';

/** The `@openai/agents-core` versions whose running agent this adapter reads, as written in the README. */
export const OPENAI_AGENTS_SUPPORTED_VERSIONS = '>=0.1.0 <1';

const MODULE_NAME = '@openai/agents-core';
const SOURCE_ID = 'openai-agents';
/** Deeper than any real nesting (agent, turn, response, tool, guardrail spans); a cycle cannot hang a call. */
const MAX_SPAN_DEPTH = 32;

/** The parts of an Agents SDK tracing span this adapter reads (`@openai/agents-core` `Span`). */
interface AgentsSpan {
  spanData?: { type?: unknown; name?: unknown; agent_name?: unknown };
  previousSpan?: AgentsSpan;
}

interface AgentsCoreModule {
  getCurrentSpan?: () => AgentsSpan | null;
}

/**
 * Names each model call the OpenAI Agents SDK makes after the agent running
 * it, handoffs included, with no code in the app.
 *
 * The SDK keeps its current tracing span in an AsyncLocalStorage
 * (`getCurrentSpan()`): the runner opens an `agent` span for each agent it
 * runs (a new one after a handoff) and the model call's `response` or
 * `generation` span hangs below it. Its spans exist even with tracing disabled
 * (`OPENAI_AGENTS_DISABLE_TRACING=1`, `setTracingDisabled(true)`: a `NoopSpan`
 * keeps its data), so names do not depend on the SDK's trace exporter. The
 * model call itself goes through the `openai` client, which costtrace's OpenAI
 * instrumentation patches.
 */
export class OpenAIAgentsInstrumentation extends InstrumentationBase<InstrumentationConfig> {
  constructor(config: InstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/openai-agents`, PACKAGE_VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        MODULE_NAME,
        ['*'],
        (moduleExports: AgentsCoreModule, moduleVersion?: string) => this._patch(moduleExports, moduleVersion),
        () => setAgentNameSource(SOURCE_ID, undefined),
      ),
    ];
  }

  override disable(): void {
    super.disable();
    setAgentNameSource(SOURCE_ID, undefined);
  }

  private _patch(moduleExports: AgentsCoreModule, moduleVersion: string | undefined): AgentsCoreModule {
    const version = majorMinor(moduleVersion);
    if (version === undefined || version[0] !== 0 || version[1] < 1) {
      (this._diag ?? diag).warn(
        `${MODULE_NAME} ${moduleVersion ?? 'unknown'} is outside ${OPENAI_AGENTS_SUPPORTED_VERSIONS}; its model calls are priced but not named after their agent`,
      );
      return moduleExports;
    }
    const getCurrentSpan = moduleExports.getCurrentSpan;
    if (typeof getCurrentSpan !== 'function') {
      (this._diag ?? diag).warn(`${MODULE_NAME} ${moduleVersion} has no getCurrentSpan; its model calls are not named after their agent`);
      return moduleExports;
    }
    setAgentNameSource(SOURCE_ID, () => runningAgent(getCurrentSpan()));
    return moduleExports;
  }
}

/** The name on the nearest `agent` span at or above `span` (or a `turn` span's `agent_name`). */
export function runningAgent(span: AgentsSpan | null | undefined): string | undefined {
  let current = span ?? undefined;
  for (let depth = 0; current !== undefined && depth < MAX_SPAN_DEPTH; depth++) {
    const data = current.spanData;
    if (data?.type === 'agent' && typeof data.name === 'string' && data.name !== '') return data.name;
    if (data?.type === 'turn' && typeof data.agent_name === 'string' && data.agent_name !== '') return data.agent_name;
    current = current.previousSpan;
  }
  return undefined;
}
