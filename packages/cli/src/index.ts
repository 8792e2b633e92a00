export { runCli, USAGE, BUDGET_COMMAND_PACKAGE } from './run-cli';
export { runReportCommand, REPORT_USAGE } from './report-command';
export type { CliIo } from './report-command';
export { buildReport } from './build-report';
export type { ReportOptions, TimeRange } from './build-report';
export { readSpanFile, parseSpanLines } from './span-file';
export { spansFromOtlpJson } from './otlp-json';
export { readJaeger } from './jaeger-source';
export { readJaegerClassic, spansOfClassicTrace } from './jaeger-classic';
export type { JaegerClassicQuery } from './jaeger-classic';
export type { JaegerQuery } from './jaeger-source';
export { readTempo, DEFAULT_TRACEQL } from './tempo-source';
export type { TempoQuery } from './tempo-source';
export { parseWhatIf, whatIf } from './what-if';
export type { WhatIfMove } from './what-if';
export { renderTable, renderMarkdown } from './render-text';
export { renderCsv, CSV_COLUMNS } from './render-csv';
export { renderHtml } from './render-html';
export type { AttrValue, SpanEventRecord, SpanRecord } from './span-record';
export type {
  AgentRow,
  BudgetRow,
  BudgetStop,
  Comparison,
  Concentration,
  CostPerRun,
  CostRow,
  CostTreeNode,
  ModelRow,
  RangeSummary,
  Report,
  RunRow,
  StepRow,
  UnpricedRow,
  UsageTotals,
  WhatIf,
  WhatIfAgent,
} from './types';
