// An app's own OpenTelemetry setup, knowing nothing of costtrace, loaded before it:
// `node --import ./own-provider.mjs --import @costtrace/register app.mjs`.
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';

const sdk = new NodeSDK({ spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })], instrumentations: [] });
sdk.start();
process.once('beforeExit', () => void sdk.shutdown());
