import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
  isInferenceOperation,
  readUsage,
  type AttributesLike,
} from '@costtrace/semconv';
import {
  OPENINFERENCE_SPAN_KIND,
  OPENINFERENCE_SPAN_KIND_VALUE_EMBEDDING,
  OPENINFERENCE_SPAN_KIND_VALUE_LLM,
  OPENLLMETRY_CALL_REQUEST_TYPES,
  OPENLLMETRY_LLM_REQUEST_TYPE,
  VERCEL_AI_AGENT_OPERATIONS,
  VERCEL_AI_CALL_OPERATIONS,
  VERCEL_AI_OPERATION_ID,
  VERCEL_AI_TELEMETRY_FUNCTION_ID,
} from '@costtrace/semconv';

/** Nothing known yet: no `gen_ai.operation.name` and no dialect marker (may be set after start). */
export const KIND_UNKNOWN = 0;
/** `gen_ai.operation.name` is an inference operation (`chat`, `embeddings`, …). */
export const KIND_INFERENCE = 1;
/** No operation name, but a dialect's call marker: a model call when it carries usage. */
export const KIND_CALL_MARKER = 2;
/** `invoke_agent`. */
export const KIND_AGENT = 4;
/** `invoke_workflow`: a run. */
export const KIND_WORKFLOW = 8;
/** Some other operation (`execute_tool`, `create_agent`, …). */
export const KIND_OTHER = 16;

/**
 * What a span is, from its attributes (and name, for the Vercel AI SDK). Only reads; no regular
 * expression, no allocation.
 */
export function classifySpan(attributes: AttributesLike, name: string): number {
  const op = attributes[ATTR_GEN_AI_OPERATION_NAME];
  if (typeof op === 'string') {
    if (isInferenceOperation(op)) return KIND_INFERENCE;
    if (op === GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT) return KIND_AGENT;
    if (op === GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW) return KIND_WORKFLOW;
    return KIND_OTHER;
  }
  if (aiSdkAgentName(attributes) !== undefined) return KIND_AGENT;
  return dialectOperation(attributes, name) === undefined ? KIND_UNKNOWN : KIND_CALL_MARKER;
}

/** A span that may own a model call: an inference operation or a dialect's call marker. */
export function mayBeCall(kind: number): boolean {
  return (kind & (KIND_INFERENCE | KIND_CALL_MARKER)) !== 0;
}

/**
 * The GenAI operation a dialect's call span stands for (OpenInference `LLM`/`EMBEDDING`, a Vercel
 * AI SDK `do*` step, an OpenLLMetry request type), or undefined when it is not a call marker.
 */
export function dialectOperation(attributes: AttributesLike, name: string): string | undefined {
  const oi = attributes[OPENINFERENCE_SPAN_KIND];
  if (oi === OPENINFERENCE_SPAN_KIND_VALUE_LLM) return GEN_AI_OPERATION_NAME_VALUE_CHAT;
  if (oi === OPENINFERENCE_SPAN_KIND_VALUE_EMBEDDING) return GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS;
  const vercel = attributes[VERCEL_AI_OPERATION_ID];
  if (typeof vercel === 'string') return VERCEL_AI_CALL_OPERATIONS.get(vercel);
  // The AI SDK names its spans after the operation id; a span whose attributes were trimmed keeps it.
  if (name.charCodeAt(0) === 97 /* a */ && name.charCodeAt(1) === 105 /* i */) {
    const fromName = VERCEL_AI_CALL_OPERATIONS.get(name);
    if (fromName !== undefined) return fromName;
  }
  const llmType = attributes[OPENLLMETRY_LLM_REQUEST_TYPE];
  return typeof llmType === 'string' ? OPENLLMETRY_CALL_REQUEST_TYPES.get(llmType) : undefined;
}

/**
 * Whether an ending span is the record of one model call: an inference operation, or a dialect's
 * call marker (a Vercel AI SDK `doGenerate`/`doStream` step, an OpenInference `LLM` span, an
 * OpenLLMetry request) that carries usage. The one answer both processors use: what the cost
 * processor prices is what the budget processor charges.
 */
export function isModelCallSpan(attributes: AttributesLike, name: string): boolean {
  return isModelCallKind(classifySpan(attributes, name), attributes);
}

/** {@link isModelCallSpan} for a span already classified as `kind`. */
export function isModelCallKind(kind: number, attributes: AttributesLike): boolean {
  if (kind === KIND_INFERENCE) return true;
  return kind === KIND_CALL_MARKER && readUsage(attributes) !== undefined;
}

/**
 * The agent an agent span names: `gen_ai.agent.name`, else, on a Vercel AI SDK agent operation
 * (`ai.generateText`, `ai.streamText`, …), the app's telemetry `functionId`. Undefined for a
 * nameless agent span (some frameworks record one per turn).
 */
export function agentNameOf(attributes: AttributesLike): string | undefined {
  const name = attributes[ATTR_GEN_AI_AGENT_NAME];
  if (typeof name === 'string') return name;
  return aiSdkAgentName(attributes);
}

// AI SDK 3 to 6 write no GenAI operation on their outer span; its `functionId` is the only name the
// app gave the agent (AI SDK 7's `@ai-sdk/otel` writes `invoke_agent` and `gen_ai.agent.name` itself).
function aiSdkAgentName(attributes: AttributesLike): string | undefined {
  const op = attributes[VERCEL_AI_OPERATION_ID];
  if (typeof op !== 'string' || !VERCEL_AI_AGENT_OPERATIONS.has(op)) return undefined;
  const id = attributes[VERCEL_AI_TELEMETRY_FUNCTION_ID];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The instrumentation scope of a span (`instrumentationLibrary` in sdk-trace-base 1.x). */
interface ScopedSpan {
  readonly instrumentationScope?: { readonly name: string } | undefined;
  readonly instrumentationLibrary?: { readonly name: string } | undefined;
}

/**
 * Whether costtrace's own instrumentation recorded the span (its tracer is named `@costtrace/…`):
 * a call it records is exact (usage read off the wire or the SDK's response) and passed the gate.
 */
export function isOwnSpan(span: object): boolean {
  const scope = (span as ScopedSpan).instrumentationScope ?? (span as ScopedSpan).instrumentationLibrary;
  return typeof scope?.name === 'string' && scope.name.startsWith('@costtrace/');
}
