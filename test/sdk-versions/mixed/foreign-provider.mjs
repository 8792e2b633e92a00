// An app's own tracer provider of a kind costtrace cannot join (not the OpenTelemetry SDK's),
// registered before it: `node --import ./foreign-provider.mjs --import @costtrace/register app.mjs`.
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, ProxyTracerProvider, trace } from '@opentelemetry/api';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const noop = new ProxyTracerProvider();
trace.setGlobalTracerProvider({ getTracer: (name, version, options) => noop.getTracer(name, version, options) });
