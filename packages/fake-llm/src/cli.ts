#!/usr/bin/env node
import { runCli } from './run-cli';

/** Entry point of the `costtrace-fake-llm` binary. */
async function main(): Promise<void> {
  const io = {
    out: (line: string) => process.stdout.write(`${line}\n`),
    err: (line: string) => process.stderr.write(`${line}\n`),
  };
  let running;
  try {
    running = await runCli(process.argv.slice(2), io);
  } catch (error) {
    io.err(`costtrace-fake-llm: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
    return;
  }
  if (!running) return;
  const stop = (): void => {
    void running.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
