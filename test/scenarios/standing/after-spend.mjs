import { asker, REPLY, setClock } from './shared.mjs';

// After standing/spend (in this process or another sharing the store): the support agent is refused
// for the rest of the UTC day, the research agent goes on, and the next day support is let through.
// One more (slow) reply for the support call a shared store admits provisionally, then stops.
export const replies = [REPLY, REPLY, REPLY];

export default async function run(ctx) {
  const ask = asker(ctx);
  setClock('2026-11-29T23:59:00.000Z');
  const sameDay = [await ask('support'), await ask('research')];
  setClock('2026-11-30T00:00:00.001Z');
  return { sameDay, nextDay: await ask('support') };
}
