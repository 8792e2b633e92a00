export { CollectingProcessor } from './collecting-processor';
export { recordingDiag } from './recording-diag';
export type { DiagRecord } from './recording-diag';
export { TestContextManager } from './test-context-manager';
