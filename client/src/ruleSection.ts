// The section of docs/rules.md about one check: from its `## <id>` heading to the next `## `.
// Pure, so the unit tests read it without VS Code.

export function ruleSection(markdown: string, id: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === `## ${id}`);
  if (start < 0) return undefined;
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  return lines.slice(start, end).join('\n').trim();
}

/** The 1-based line of a check's heading (for a plain-text fallback that opens the file there). */
export function ruleLine(markdown: string, id: string): number | undefined {
  const i = markdown.split(/\r?\n/).findIndex((l) => l.trim() === `## ${id}`);
  return i < 0 ? undefined : i + 1;
}
