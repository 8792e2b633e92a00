import { FINISHED, SLOW_STREAM, finishedThenInFlight } from './endings-shared.mjs';

// An uncaught exception (FAULT_CRASH=throw) or an unhandled rejection (reject) with a stream in flight.
export const replies = [FINISHED, SLOW_STREAM];

export default (ctx) =>
  finishedThenInFlight(ctx, 5, () => {
    if (process.env.FAULT_CRASH === 'reject') void Promise.reject(new Error('boom: rejected in flight'));
    else setImmediate(() => {
      throw new Error('boom: thrown in flight');
    });
  });
