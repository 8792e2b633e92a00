import { context, propagation } from '@opentelemetry/api';
import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'ok', usage: { inputTokens: 12, outputTokens: 1 } }];

// A tenant id in baggage must not reach the provider in request headers.
export default async function run(ctx) {
  const withTenant = propagation.setBaggage(context.active(), propagation.createBaggage({ 'tenant.id': { value: 'acme-secret-tenant' } }));
  return context.with(withTenant, async () => {
    const res = await openaiClient(ctx).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    return { content: res.choices[0].message.content };
  });
}
