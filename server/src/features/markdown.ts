// Small markdown helpers the editor features share (hover text, completion documentation): code
// spans that survive backticks, escaping of the characters markdown reads as formatting (task
// sequence variables start with an underscore), and shortening of long values such as command
// lines and WQL queries so a hover stays readable.

/** A code span; a backtick inside would end it early, so it becomes a quote. */
export function code(s: string): string {
  return '`' + s.replace(/`/g, "'").replace(/\r?\n|\r/g, ' ') + '`';
}

/** Escapes the characters markdown would read as formatting. */
export function esc(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** At most `max` characters, cut with an ellipsis; line breaks become spaces. */
export function shorten(s: string, max = 80): string {
  const flat = s.replace(/\s*(\r?\n|\r)\s*/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** "a, b and c" */
export function listWords(words: readonly string[], last = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}
