import { asker, REPLY, setClock } from './shared.mjs';

// The support agent's $0.025 a day: two calls ($0.02) pass; a third ($0.02 + ~$0.008 reserved) is refused.
export const replies = [REPLY, REPLY];

export default async function run(ctx) {
  const ask = asker(ctx);
  setClock('2026-11-29T22:00:00.000Z');
  return [await ask('support'), await ask('support'), await ask('support')];
}
