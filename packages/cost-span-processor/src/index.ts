export { CostSpanProcessor } from './cost-span-processor';
export { isModelCallSpan, mayBeCall, classifySpan } from './classify-span';
export { priceCall } from './price-call';
export type { AttributeSink, CallCost } from './price-call';
export { PricedCalls } from './priced-calls';
export type { PricedCall } from './priced-calls';
export type { CostReadableSpan, CostSpan, CostSpanProcessorOptions } from './types';
