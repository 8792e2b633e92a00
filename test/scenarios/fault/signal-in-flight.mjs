import { FINISHED, SLOW_STREAM, finishedThenInFlight } from './endings-shared.mjs';

// SIGTERM or SIGINT (FAULT_SIGNAL) arrives while a stream is in flight; the app has no handler.
export const replies = [FINISHED, SLOW_STREAM];

export default (ctx) => finishedThenInFlight(ctx, 5, () => process.kill(process.pid, process.env.FAULT_SIGNAL));
