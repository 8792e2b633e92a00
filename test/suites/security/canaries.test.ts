// Security suite: an app under `node --import/--require @costtrace/register` hands costtrace an API
// key, an authorization header, a header of its own, a baggage value, a prompt, and gets back a
// completion and an error that echoes a key. The raw OTLP bytes (JSON and protobuf, traces and
// metrics) and stderr must hold none of them by default; with the content opt-in the prompt and the
// completion appear, cut at the cap, and the secrets still do not.
import { describe, expect, it } from 'vitest';
import { useRun, useServers, withBaseUrl } from '../../helpers/e2e';
import { loadScenario, type ModuleSystem, type RunResult } from '../../helpers/scenario-runner';
import type { OtlpReceiver } from '../../helpers/otlp-receiver';

const SCENARIO = 'security/canaries';
const { CANARIES } = (await loadScenario(SCENARIO)) as unknown as {
  CANARIES: Record<'apiKey' | 'anthropicKey' | 'echoedKey' | 'header' | 'prompt' | 'promptTail' | 'completion' | 'baggage', string>;
};
const CAP = 40;
const SECRETS: string[] = [CANARIES.apiKey, CANARIES.anthropicKey, CANARIES.echoedKey, CANARIES.header, CANARIES.baggage];
// Their distinctive middles too, so a half-redacted key (`sk-****KEY7f3a…`) is caught.
const SECRET_PARTS = SECRETS.flatMap((s) => [s, s.slice(-10)]);
const CONTENT: string[] = [CANARIES.prompt, CANARIES.promptTail, CANARIES.completion];

/** Every byte the receiver got (JSON or protobuf: strings travel as UTF-8 in both) plus the child's stderr. */
function exported(receiver: OtlpReceiver, run: RunResult): { bytes: string; stderr: string } {
  return { bytes: Buffer.concat(receiver.raw.map((r) => r.body)).toString('latin1'), stderr: run.stderr };
}

const PROTOCOLS = [
  ['http/json', 'application/json'],
  ['http/protobuf', 'application/x-protobuf'],
] as const;

for (const mode of ['esm', 'cjs'] as ModuleSystem[]) {
  describe.each(PROTOCOLS)(`secrets in exported telemetry, ${mode}, %s`, (protocol, contentType) => {
    const env = { OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: protocol, OTEL_SERVICE_NAME: 'costtrace-security' };
    const plain = useServers();
    const optIn = useServers();
    const opts = { fixture: 'mixed' as const, mode, scenarios: [SCENARIO] };
    const byDefault = useRun(plain, withBaseUrl(plain, { ...opts, tag: 'default' }, env), { concurrent: true });
    const withContent = useRun(
      optIn,
      withBaseUrl(optIn, { ...opts, tag: 'content' }, { ...env, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true', COSTTRACE_CONTENT_MAX_LENGTH: String(CAP) }),
      { concurrent: true },
    );

    it('the app ran every call: six answered with the completion, two refused with 401', () => {
      for (const run of [byDefault(), withContent()]) {
        expect(run.outcomes[SCENARIO]!.result).toEqual([true, true, true, true, true, true, 401, 401]);
        expect([run.exitCode, run.signal]).toEqual([0, null]);
      }
    });

    it(`exports traces and metrics as ${contentType}, calls' spans included`, () => {
      for (const receiver of [plain.receiver(), optIn.receiver()]) {
        const paths = new Set(receiver.raw.map((r) => `${r.path} ${r.contentType}`));
        expect([...paths].sort()).toEqual([`/v1/metrics ${contentType}`, `/v1/traces ${contentType}`]);
        const bytes = Buffer.concat(receiver.raw.map((r) => r.body)).toString('latin1');
        // The call spans are there (their names travel as plain strings in both encodings).
        for (const name of ['chat gpt-4o-mini', 'chat claude-haiku-4-5', 'gen_ai.usage.cost.amount']) expect(bytes).toContain(name);
      }
    });

    it('by default no secret, prompt or completion is in any exported byte or on stderr', () => {
      const { bytes, stderr } = exported(plain.receiver(), byDefault());
      for (const canary of [...SECRET_PARTS, ...CONTENT]) {
        expect(bytes.includes(canary), `${canary} in the OTLP bytes`).toBe(false);
        expect(stderr.includes(canary), `${canary} on stderr`).toBe(false);
      }
    });

    it(`with the content opt-in the prompt and the completion are exported, cut at ${CAP} characters; the secrets still are not`, () => {
      const { bytes, stderr } = exported(optIn.receiver(), withContent());
      for (const canary of SECRET_PARTS) {
        expect(bytes.includes(canary), `${canary} in the OTLP bytes`).toBe(false);
        expect(stderr.includes(canary), `${canary} on stderr`).toBe(false);
      }
      // The grep can see content: the prompt's head and the completion are there...
      expect(bytes).toContain(CANARIES.prompt);
      expect(bytes).toContain(CANARIES.completion);
      // ...and the prompt's tail, past the cap, is not.
      expect(bytes.includes(CANARIES.promptTail)).toBe(false);
      if (protocol === 'http/json') {
        const spans = optIn.receiver().spans.filter((s) => s.attributes['gen_ai.input.messages'] !== undefined);
        expect(spans.length).toBeGreaterThanOrEqual(5);
        for (const s of spans) {
          for (const key of ['gen_ai.input.messages', 'gen_ai.output.messages']) {
            const value = s.attributes[key];
            if (value === undefined) continue;
            for (const text of JSON.stringify(value).match(/"content":"[^"]*"/g) ?? []) {
              expect(JSON.parse(`{${text}}`).content.length, `${key} of ${s.name}`).toBeLessThanOrEqual(CAP + 1);
            }
          }
        }
      }
    });
  });
}
