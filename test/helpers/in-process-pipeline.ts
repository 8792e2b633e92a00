// An in-process TracerProvider with both costtrace processors and a synchronous collector, for
// tests of how the two processors work together (no exporter, no child process).
import { context, diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { StackContextManager, TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { BudgetSpanProcessor, createCostProcessors, type BudgetSpanProcessorOptions } from '@costtrace/budget-span-processor';
import { CostSpanProcessor, type CostSpanProcessorOptions } from '@costtrace/cost-span-processor';

class Collector implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface PipelineOptions {
  budgets?: BudgetSpanProcessorOptions;
  costs?: CostSpanProcessorOptions;
  /** Wire the processors with createCostProcessors (one shared span tree and price hand-off), or construct each alone. */
  linked: boolean;
}

let contextManager: StackContextManager | undefined;

export function inProcessPipeline(options: PipelineOptions) {
  if (!contextManager) {
    // Synchronous tests: a stack context manager is enough for withRun/withAgent nesting.
    contextManager = new StackContextManager().enable();
    context.setGlobalContextManager(contextManager);
  }
  const warnings: string[] = [];
  const errors: unknown[][] = [];
  const noop = () => {};
  const logger: DiagLogger = { error: (...a: unknown[]) => errors.push(a), warn: (m: string) => warnings.push(m), info: noop, debug: noop, verbose: noop };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  let cost: CostSpanProcessor;
  let budget: BudgetSpanProcessor;
  if (options.linked) {
    const built = createCostProcessors({ costs: options.costs ?? {}, budgets: options.budgets ?? {} });
    built.install();
    cost = built.costProcessor;
    budget = built.budgetProcessor!;
  } else {
    cost = new CostSpanProcessor(options.costs ?? {});
    budget = new BudgetSpanProcessor(options.budgets ?? {});
  }
  const collector = new Collector();
  const provider = new TracerProvider({ spanProcessors: [cost, budget, collector] });
  const tracer = provider.getTracer('test');
  const ended = (name: string): ReadableSpan => {
    const span = collector.spans.find((s) => s.name === name);
    if (!span) throw new Error(`no ended span named ${name}`);
    return span;
  };
  const cleanup = async () => {
    await provider.shutdown();
    diag.disable();
  };
  return { tracer, budget, cost, collector, ended, warnings, errors, cleanup, context };
}
