// An app's own tracer provider of a kind costtrace cannot join (not the OpenTelemetry SDK's),
// registered before it: `node --require ./foreign-provider.cjs --require @costtrace/register app.cjs`.
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { context, ProxyTracerProvider, trace } = require('@opentelemetry/api');

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const noop = new ProxyTracerProvider();
trace.setGlobalTracerProvider({ getTracer: (name, version, options) => noop.getTracer(name, version, options) });
