// The SDKs' own retry loops and costtrace's BudgetExceededError, out of process: with retries on, a
// refused call and a call stopped in flight each reach the app once, as the budget error itself or as
// the SDK's abort error with it as `cause`, and the server sees no second request.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers } from './helpers/e2e';
import { scenarioPrefix, type ModuleSystem } from './helpers/scenario-runner';

describe.each(['esm', 'cjs'] as ModuleSystem[])('BudgetExceededError under the SDKs\' retries, %s', (mode) => {
  const servers = useServers();
  const opts = { fixture: 'mixed' as const, mode };
  const run = useRun(servers, { ...opts, scenarios: ['frameworks/sdk-retries'] });
  const requests = () => servers.fake().requests.filter((r) => r.scenario === `${scenarioPrefix(opts)}frameworks/sdk-retries`);

  it('runs cleanly', () => expectCleanExit(run()));

  it('is never retried by the openai or the Anthropic SDK', () => {
    const refused = { ctor: 'BudgetExceededError', budgetAt: 0, action: 'refused' };
    expect(run().outcomes['frameworks/sdk-retries']!.result).toEqual({
      openai: { refused, stopped: { slow: { ctor: 'APIUserAbortError', budgetAt: 1, action: 'aborted' }, big: { ok: true, r: 'object' } } },
      anthropic: { refused, stopped: { slow: { ctor: 'APIUserAbortError', budgetAt: 1, action: 'aborted' }, big: { ok: true, r: 'object' } } },
    });
    // The refused calls sent nothing; each stopped call was sent once, and closed by the client.
    expect(requests().map((r) => [r.provider, r.body && (r.body as { messages: Array<{ content: string }> }).messages[0]!.content, r.clientClosedEarly])).toEqual([
      ['openai', 'slow', true],
      ['openai', 'big', false],
      ['anthropic', 'slow', true],
      ['anthropic', 'big', false],
    ]);
  });
});
