import { FINISHED, SLOW_STREAM, finishedThenInFlight } from './endings-shared.mjs';

// The app handles uncaught exceptions itself and goes on: the stream in flight runs to its end,
// then the process exits with the app's code 5 when its loop empties.
export const replies = [FINISHED, SLOW_STREAM];

export default async function run(ctx) {
  process.on('uncaughtException', (err) => {
    process.stdout.write(`APP HANDLED ${err.message}\n`);
    process.exitCode = 5;
  });
  return finishedThenInFlight(ctx, 5, () =>
    setImmediate(() => {
      throw new Error('boom: handled in flight');
    }),
  );
}
