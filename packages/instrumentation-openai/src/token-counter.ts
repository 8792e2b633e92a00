import { createRequire } from 'node:module';
import type { DiagLogger } from '@opentelemetry/api';

type Encoding = 'o200k_base' | 'cl100k_base';

interface EncodingModule {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

// Special-token text in a prompt (`<|endoftext|>`) is sent as plain text; the
// tokenizer would throw on it by default.
const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

/** Characters per token assumed when the tokenizer cannot be loaded: fewer than real (~4), so it over-counts. */
const FALLBACK_CHARS_PER_TOKEN = 3;

/** Models tokenized with cl100k_base; every newer model (gpt-4o, 4.1, 4.5, 5, o-series) uses o200k_base. */
const CL100K_MODEL = /^(ft:)?(gpt-3\.5|gpt-4($|-)|gpt-4-turbo|text-embedding-|text-moderation|davinci-002|babbage-002)/;

export function encodingFor(model: string): Encoding {
  return CL100K_MODEL.test(model) ? 'cl100k_base' : 'o200k_base';
}

/**
 * Counts tokens with `gpt-tokenizer`, loaded synchronously on first use (the
 * budget gate runs before the request is sent, so the count cannot wait) and
 * only then: the o200k ranks take a few hundred milliseconds to load, which
 * an app that never calls OpenAI should not pay at start-up.
 */
export class TokenCounter {
  private readonly _encodings = new Map<Encoding, EncodingModule | null>();
  private _warned = false;

  constructor(private readonly _diag: DiagLogger) {}

  count(text: string, model: string): number {
    if (text === '') return 0;
    const encoding = this._load(encodingFor(model));
    if (encoding) {
      try {
        return encoding.countTokens(text, NO_SPECIAL);
      } catch (err) {
        this._diag.debug('OpenAIInstrumentation: tokenizer failed; estimating from length', err);
      }
    }
    return Math.ceil(text.length / FALLBACK_CHARS_PER_TOKEN);
  }

  private _load(name: Encoding): EncodingModule | null {
    const cached = this._encodings.get(name);
    if (cached !== undefined) return cached;
    let loaded: EncodingModule | null = null;
    try {
      loaded = loadRequire()(`gpt-tokenizer/encoding/${name}`) as EncodingModule;
    } catch (err) {
      if (!this._warned) {
        this._warned = true;
        this._diag.warn('OpenAIInstrumentation: could not load gpt-tokenizer; token estimates use text length', err);
      }
    }
    this._encodings.set(name, loaded);
    return loaded;
  }
}

function loadRequire(): NodeRequire {
  // tsup's shims give the CommonJS build an `import.meta.url` too (a bare
  // `require` would be rewritten to a throwing stub in the ESM build).
  return createRequire(import.meta.url);
}
