import { registry, type CostLedger } from './registry';

/** Installs the process's cost ledger; returns a function that removes it. */
export function setCostLedger(ledger: CostLedger): () => void {
  const reg = registry();
  reg.ledger = ledger;
  return () => {
    if (reg.ledger === ledger) reg.ledger = undefined;
  };
}

/** The installed cost ledger, if a cost processor installed one. */
export function getCostLedger(): CostLedger | undefined {
  return registry().ledger;
}
