/** Neutral and Anthropic finish reasons in OpenAI chat terms; others pass through. */
const TO_OPENAI: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** Neutral and OpenAI finish reasons in Anthropic `stop_reason` terms; others pass through. */
const TO_ANTHROPIC: Record<string, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/** The OpenAI chat `finish_reason` for a scripted finish reason. */
export function openaiFinishReason(reason: string): string {
  return TO_OPENAI[reason] ?? reason;
}

/** The Anthropic `stop_reason` for a scripted finish reason. */
export function anthropicStopReason(reason: string): string {
  return TO_ANTHROPIC[reason] ?? reason;
}

/**
 * The Responses API has no finish reason: a capped or filtered response ends
 * `incomplete` with `incomplete_details.reason`.
 */
export function responsesIncompleteReason(reason: string): string | undefined {
  const openai = openaiFinishReason(reason);
  if (openai === 'length') return 'max_output_tokens';
  if (openai === 'content_filter') return 'content_filter';
  return undefined;
}

/** Neutral, OpenAI and Anthropic finish reasons in Gemini `finishReason` terms; others pass through. */
const TO_GEMINI: Record<string, string> = {
  stop: 'STOP',
  // Gemini reports a turn that ends in function calls as STOP.
  tool_calls: 'STOP',
  length: 'MAX_TOKENS',
  content_filter: 'SAFETY',
};

/** The Gemini `finishReason` for a scripted finish reason. */
export function geminiFinishReason(reason: string): string {
  return TO_GEMINI[openaiFinishReason(reason)] ?? reason;
}
