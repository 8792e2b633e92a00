import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { FakeLlm, Reply } from './types';
import { startFakeLlm } from './fake-llm-server';

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  /** Writes one line of normal output. */
  out(line: string): void;
  /** Writes one line of error output. */
  err(line: string): void;
}

/** A started CLI: the server and a way to stop it. */
export interface RunningCli {
  fake: FakeLlm;
  /** Closes the server. */
  stop(): Promise<void>;
}

const USAGE = `usage: costtrace-fake-llm [--port 0] [--host 127.0.0.1] [--script replies.json]

  --port     port to listen on; 0 picks a free one (default 0)
  --host     address to listen on (default 127.0.0.1)
  --script   JSON file: an array of replies queued in order, or
             { "defaultReply": {...}, "script": [...], "scenarios": { "name": [...] } }
Prints "fake-llm listening on http://HOST:PORT" once ready; stops on SIGINT or SIGTERM.`;

/** What a `--script` file may hold. */
interface ScriptFile {
  defaultReply?: Reply;
  script?: Reply[];
  scenarios?: Record<string, Reply[]>;
}

async function loadScript(path: string): Promise<ScriptFile> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (Array.isArray(parsed)) return { script: parsed as Reply[] };
  if (typeof parsed === 'object' && parsed !== null) return parsed as ScriptFile;
  throw new Error(`${path}: expected an array of replies or an object`);
}

/**
 * Runs the `costtrace-fake-llm` command: parses `argv` (without `node` and the
 * script), starts the server and prints its URL. The caller decides when to stop.
 */
export async function runCli(argv: string[], io: CliIo): Promise<RunningCli | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      script: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.out(USAGE);
    return undefined;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port: ${values.port}`);
  const file = values.script === undefined ? {} : await loadScript(values.script);
  const fake = await startFakeLlm({ port, host: values.host, defaultReply: file.defaultReply });
  if (file.script) fake.script(...file.script);
  for (const [scenario, replies] of Object.entries(file.scenarios ?? {})) fake.scriptScenario(scenario, ...replies);
  io.out(`fake-llm listening on ${fake.url}`);
  return { fake, stop: () => fake.close() };
}
