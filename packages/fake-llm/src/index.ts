export { startFakeLlm } from './fake-llm-server';
export { runCli } from './run-cli';
export type { CliIo, RunningCli } from './run-cli';
export type {
  FakeApi,
  FakeLlm,
  FakeLlmOptions,
  FakeProvider,
  RecordedRequest,
  Reply,
  ReplyError,
  ReplyHandler,
  ScriptedToolCall,
  ScriptedUsage,
  StreamError,
  WaitOptions,
} from './types';
