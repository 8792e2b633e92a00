import type { MatchLogic } from '@pydantic/genai-prices';

/**
 * Evaluates genai-prices match logic the way its own matcher does (case-insensitive string tests,
 * regexes as written). Regexes are compiled once per pattern; this runs only on a resolution-cache miss.
 */
export class MatchLogicEvaluator {
  private readonly _regexes = new Map<string, RegExp | null>();

  matches(logic: MatchLogic | undefined, value: string): boolean {
    if (!logic) return false;
    if ('or' in logic) return logic.or.some((part) => this.matches(part, value));
    if ('and' in logic) return logic.and.every((part) => this.matches(part, value));
    const lower = value.toLowerCase();
    if ('equals' in logic) return lower === logic.equals.toLowerCase();
    if ('starts_with' in logic) return lower.startsWith(logic.starts_with.toLowerCase());
    if ('ends_with' in logic) return lower.endsWith(logic.ends_with.toLowerCase());
    if ('contains' in logic) return lower.includes(logic.contains.toLowerCase());
    if ('regex' in logic) return this._regex(logic.regex)?.test(value) ?? false;
    return false;
  }

  private _regex(pattern: string): RegExp | null {
    let regex = this._regexes.get(pattern);
    if (regex === undefined) {
      try {
        regex = new RegExp(pattern);
      } catch {
        regex = null;
      }
      this._regexes.set(pattern, regex);
    }
    return regex;
  }
}
