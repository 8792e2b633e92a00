import { FINISHED, SLOW_STREAM, finishedThenInFlight } from './endings-shared.mjs';

// The app's own SIGTERM handler drains gracefully: the stream in flight goes on to its end, then
// the process exits with the app's code 7 when its loop empties.
export const replies = [FINISHED, SLOW_STREAM];

export default async function run(ctx) {
  process.on('SIGTERM', () => {
    process.stdout.write('APP SIGTERM\n');
    process.exitCode = 7;
  });
  return finishedThenInFlight(ctx, 5, () => process.kill(process.pid, 'SIGTERM'));
}
