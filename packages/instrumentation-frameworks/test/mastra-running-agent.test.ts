// The adapter's mechanics on a stand-in of the `@mastra/core/agent` exports (Mastra 1.x needs
// Node >= 22.13; the real package runs out of process in test/frameworks-mastra.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { frameworkAgentName, setAgentNameSource } from '@costtrace/pipeline';
import { MastraInstrumentation } from '../src/mastra';

/** Stands in for Mastra's `Agent`: its methods await before and after the model call, as Mastra's do. */
function agentModule() {
  class Agent {
    constructor(readonly name: string, private readonly sub?: Agent) {}
    async generate(): Promise<string[]> {
      await Promise.resolve();
      const seen = [`${this.name}: ${frameworkAgentName()}`];
      if (this.sub) seen.push(...(await this.sub.generate()));
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(`${this.name} after: ${frameworkAgentName()}`);
      return seen;
    }
    async stream(): Promise<string | undefined> {
      return frameworkAgentName();
    }
  }
  return { Agent };
}

const patchFile = (inst: MastraInstrumentation, exports: object, version = '1.71.0') => {
  const [definition] = inst.getModuleDefinitions();
  return definition!.files[0]!.patch(exports, version);
};

const instances: MastraInstrumentation[] = [];
function instrumentation(): MastraInstrumentation {
  const inst = new MastraInstrumentation({ enabled: false });
  instances.push(inst);
  return inst;
}

afterEach(() => {
  for (const inst of instances.splice(0)) inst.disable();
  setAgentNameSource('mastra', undefined);
});

describe('MastraInstrumentation', () => {
  it('names the calls made inside generate and stream after the running agent, the innermost sub-agent first', async () => {
    const mod = agentModule();
    patchFile(instrumentation(), mod);
    const planner = new mod.Agent('Planner', new mod.Agent('Researcher'));
    expect(await planner.generate()).toEqual(['Planner: Planner', 'Researcher: Researcher', 'Researcher after: Researcher', 'Planner after: Planner']);
    expect(await new mod.Agent('Writer').stream()).toBe('Writer');
    expect(frameworkAgentName()).toBeUndefined();
  });

  it('keeps two agents running at once apart', async () => {
    const mod = agentModule();
    patchFile(instrumentation(), mod);
    const [a, b] = await Promise.all([new mod.Agent('A').generate(), new mod.Agent('B').generate()]);
    expect([a, b]).toEqual([
      ['A: A', 'A after: A'],
      ['B: B', 'B after: B'],
    ]);
  });

  it('patches the Agent class once when a second copy of costtrace patches it too, and both read one store', async () => {
    const mod = agentModule();
    patchFile(instrumentation(), mod);
    const once = mod.Agent.prototype.generate;
    patchFile(instrumentation(), mod);
    expect(mod.Agent.prototype.generate).toBe(once);
    expect(await new mod.Agent('Solo').stream()).toBe('Solo');
  });

  it('leaves a version outside 1.x unpatched, and unpatches on disable', async () => {
    const old = agentModule();
    const original = old.Agent.prototype.generate;
    patchFile(instrumentation(), old, '0.24.0');
    expect(old.Agent.prototype.generate).toBe(original);

    const mod = agentModule();
    const inst = instrumentation();
    patchFile(inst, mod);
    const [definition] = inst.getModuleDefinitions();
    definition!.files[0]!.unpatch(mod);
    expect(await new mod.Agent('Gone').stream()).toBeUndefined();
  });

  it('passes through an agent with no name and a module with no Agent', async () => {
    const mod = agentModule();
    patchFile(instrumentation(), mod);
    expect(await new mod.Agent('').stream()).toBeUndefined();
    expect(patchFile(instrumentation(), {})).toEqual({});
  });
});
