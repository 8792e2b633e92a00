import { REPORT_USAGE, runReportCommand, type CliIo } from './report-command';

export const USAGE = `Usage: costtrace <command> [options]

Commands:
  report   cost by agent, step, run and model from span files, Jaeger or Tempo (costtrace report --help)
  budget   shared budgets in Redis (needs @costtrace/budget-store-redis)
`;

/** The package that carries the `budget` command; imported only when that command runs. */
export const BUDGET_COMMAND_PACKAGE = '@costtrace/budget-store-redis';

type BudgetModule = { runBudgetCommand?: (argv: string[], io: CliIo) => Promise<number> | number };

/** Dispatches `costtrace <command>`; returns the exit code. Errors are written to `io.err`, never thrown. */
export async function runCli(argv: string[], io: CliIo, load: (specifier: string) => Promise<unknown> = (s) => import(s)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'report') return await runReportCommand(rest, io);
    if (command === 'budget') return await runBudget(rest, io, load);
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(`${USAGE}\n${REPORT_USAGE}`);
      return command === undefined ? 2 : 0;
    }
    io.err(`costtrace: unknown command "${command}"\n${USAGE}`);
    return 2;
  } catch (err) {
    io.err(`costtrace ${command}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

async function runBudget(argv: string[], io: CliIo, load: (specifier: string) => Promise<unknown>): Promise<number> {
  let mod: BudgetModule;
  try {
    mod = (await load(BUDGET_COMMAND_PACKAGE)) as BudgetModule;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      io.err(`costtrace budget: needs ${BUDGET_COMMAND_PACKAGE}; install it beside @costtrace/cli (npm install ${BUDGET_COMMAND_PACKAGE})`);
      return 1;
    }
    throw err;
  }
  if (typeof mod.runBudgetCommand !== 'function') {
    io.err(`costtrace budget: ${BUDGET_COMMAND_PACKAGE} has no runBudgetCommand; update it`);
    return 1;
  }
  return await mod.runBudgetCommand(argv, io);
}
