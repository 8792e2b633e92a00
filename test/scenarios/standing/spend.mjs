import { asker, REPLY, setClock } from './shared.mjs';

// The support agent's $0.025 a day: two calls ($0.02) pass; a third ($0.02 + ~$0.008 reserved) is refused.
// A third (slow) reply for a call a shared store admits provisionally and stops when it refuses.
export const replies = [REPLY, REPLY, REPLY];

export default async function run(ctx) {
  const ask = asker(ctx);
  setClock('2026-11-29T22:00:00.000Z');
  return [await ask('support'), await ask('support'), await ask('support')];
}
