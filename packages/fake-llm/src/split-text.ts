/** Words of the default reply; each counts as one output token. */
const WORDS = [
  'lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit',
  'sed', 'do', 'eiusmod', 'tempor', 'incididunt', 'ut', 'labore', 'et',
];

/** Most words a derived reply holds, so a scripted million-token usage stays cheap. */
const MAX_WORDS = 10_000;

/** The default reply text: `count` words, one per output token. */
export function defaultText(count: number): string {
  const n = Math.min(Math.max(0, Math.floor(count)), MAX_WORDS);
  const words: string[] = [];
  for (let i = 0; i < n; i += 1) words.push(WORDS[i % WORDS.length] as string);
  return words.join(' ');
}

/** Number of whitespace-separated words in `text`. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/**
 * Splits `text` into the deltas of a stream: one per word (a word keeps its
 * leading space, as real token deltas do) when `chunks` is not given, else
 * exactly `chunks` deltas, by words when there are enough and by characters
 * when not. Joining the deltas gives `text` back.
 */
export function splitText(text: string, chunks: number | undefined): string[] {
  const words = text === '' ? [] : text.split(/(?=\s)/);
  if (chunks === undefined) return words;
  const target = Math.max(0, Math.floor(chunks));
  if (target === 0) return text === '' ? [] : [text];
  const pieces = words.length >= target ? words : Array.from(text);
  const groups: string[] = Array.from({ length: target }, () => '');
  pieces.forEach((piece, i) => {
    const g = Math.floor((i * target) / pieces.length);
    groups[g] += piece;
  });
  return groups;
}
