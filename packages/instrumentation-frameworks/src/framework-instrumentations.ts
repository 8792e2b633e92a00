import type { Instrumentation } from '@opentelemetry/instrumentation';
import { AiSdkInstrumentation } from './ai-sdk';
import { MastraInstrumentation } from './mastra';
import { OpenAIAgentsInstrumentation } from './openai-agents';

/**
 * One instance of every framework adapter, as `@costtrace/register` installs
 * them: each hooks only its own framework's package, so an app that loads none
 * of them pays nothing.
 */
export function frameworkInstrumentations(): Instrumentation[] {
  return [new OpenAIAgentsInstrumentation(), new MastraInstrumentation(), new AiSdkInstrumentation()];
}
