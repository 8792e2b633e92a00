// Each adapter patches only the versions it knows; another gets one diag.warn and registers nothing,
// so its calls stay priced and budgeted, only unnamed. The exports are the real packages' own.
// @openai/agents re-exports @openai/agents-core (getCurrentSpan among them).
import * as agentsCore from '@openai/agents';
import * as singletons from '@langchain/core/singletons';
import { afterEach, describe, expect, it } from 'vitest';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { registry } from '@costtrace/pipeline';
import { LangChainInstrumentation } from '../src/langchain';
import { OpenAIAgentsInstrumentation } from '../src/openai-agents';

function collectWarnings(): { warnings: string[]; restore: () => void } {
  const warnings: string[] = [];
  const logger: DiagLogger = {
    error: () => {},
    // An instrumentation's component logger puts its name first.
    warn: (...args: unknown[]) => void warnings.push(args.join(' ')),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, DiagLogLevel.WARN);
  return { warnings, restore: () => diag.disable() };
}

/** Runs the patch function of `instrumentation`'s module (or its file) named `name`. */
function patch(instrumentation: OpenAIAgentsInstrumentation | LangChainInstrumentation, name: string, exports: unknown, version: string): void {
  for (const module of instrumentation.getModuleDefinitions()) {
    if (module.name === name) module.patch?.(exports, version);
    for (const file of module.files) if (file.name === name) file.patch(exports, version);
  }
}

describe('version gates', () => {
  afterEach(() => {
    registry().agentNames.clear();
  });

  it('OpenAI Agents SDK: names from 0.x, one warning and no source for another major', () => {
    const { warnings, restore } = collectWarnings();
    try {
      const adapter = new OpenAIAgentsInstrumentation({ enabled: false });
      patch(adapter, '@openai/agents-core', agentsCore, '1.0.0');
      expect([...registry().agentNames.keys()]).toEqual([]);
      expect(warnings).toEqual([expect.stringContaining('@openai/agents-core 1.0.0 is outside >=0.1.0 <1')]);
      patch(adapter, '@openai/agents-core', agentsCore, '0.14.3');
      expect([...registry().agentNames.keys()]).toEqual(['openai-agents']);
    } finally {
      restore();
    }
  });

  it('LangChain: names from core 1.x, one warning for 0.3 however many files it loads', () => {
    const { warnings, restore } = collectWarnings();
    try {
      const adapter = new LangChainInstrumentation({ enabled: false });
      const file = '@langchain/core/dist/singletons/async_local_storage/index.js';
      patch(adapter, file, singletons, '0.3.80');
      patch(adapter, file, singletons, '0.3.80');
      expect([...registry().agentNames.keys()]).toEqual([]);
      expect(warnings).toEqual([expect.stringContaining('@langchain/core 0.3.80 is outside >=1.0.0 <2')]);
      patch(adapter, file, singletons, '1.4.0');
      expect([...registry().agentNames.keys()]).toEqual(['langgraph']);
    } finally {
      restore();
    }
  });
});
