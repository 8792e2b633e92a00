#!/usr/bin/env node
import { runCli } from './run-cli';

/** Entry point of the `costtrace` binary. */
void runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then((code) => {
  process.exitCode = code;
});
