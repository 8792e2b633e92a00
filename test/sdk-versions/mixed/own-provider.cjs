// An app's own OpenTelemetry setup, knowing nothing of costtrace, loaded before it:
// `node --require ./own-provider.cjs --require @costtrace/register app.cjs`.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');

const sdk = new NodeSDK({ spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })], instrumentations: [] });
sdk.start();
process.once('beforeExit', () => void sdk.shutdown());
