import {
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION,
} from './values';

/**
 * Whether `operationName`, a `gen_ai.operation.name` value, names one model call:
 * `chat`, `text_completion`, `generate_content` or `embeddings`. Only these spans
 * are priced; `invoke_agent`, `invoke_workflow`, `execute_tool`, `create_agent` and
 * `retrieval` spans are not, even when a framework sums usage onto them.
 *
 * The GenAI conventions have no `responses` operation: OpenAI's Responses API is
 * `chat`. Anything that is not a string is `false`. Never throws.
 */
export function isInferenceOperation(operationName: unknown): boolean {
  switch (operationName) {
    case GEN_AI_OPERATION_NAME_VALUE_CHAT:
    case GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION:
    case GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT:
    case GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS:
      return true;
    default:
      return false;
  }
}
