// `node --import @costtrace/register app.mjs` / `node --require @costtrace/register app.cjs`:
// sets up tracing from OTEL_* variables before the app's first module loads.
import { registerCostTracing } from './register-cost-tracing';

registerCostTracing();
