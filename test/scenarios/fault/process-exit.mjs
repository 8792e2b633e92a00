import { FINISHED, SLOW_STREAM, finishedThenInFlight } from './endings-shared.mjs';

// The app calls process.exit(4) with a stream in flight.
export const replies = [FINISHED, SLOW_STREAM];

export default (ctx) => finishedThenInFlight(ctx, 5, () => process.exit(4));
