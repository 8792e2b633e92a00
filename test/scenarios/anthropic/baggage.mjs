import { context, propagation } from '@opentelemetry/api';
import { anthropicClient } from '../shared.mjs';

export const replies = [{ text: 'ok', usage: { inputTokens: 12, outputTokens: 1 } }];

// A tenant id in baggage must not reach the provider in request headers (the SDK propagates context itself).
export default async function run(ctx) {
  const withTenant = propagation.setBaggage(context.active(), propagation.createBaggage({ 'tenant.id': { value: 'acme-secret-tenant' } }));
  return context.with(withTenant, async () => {
    const msg = await anthropicClient(ctx).messages.create({ model: 'claude-haiku-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    return { text: msg.content[0].text };
  });
}
