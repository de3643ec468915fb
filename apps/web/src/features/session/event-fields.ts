/** Typed reads of loosely typed event and message fields (AG-UI events carry extra keys). */
export type LooseRecord = Readonly<Record<string, unknown>>;

export function stringField(record: LooseRecord | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(record: LooseRecord | undefined, key: string): number | undefined {
  const value = record?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function recordField(record: LooseRecord | undefined, key: string): LooseRecord | undefined {
  const value = record?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LooseRecord) : undefined;
}

/** Message content is a string or, in AG-UI, a list of parts: the text parts are what a person reads. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      if (typeof part === 'string') return part;
      if (typeof part === 'object' && part !== null) return stringField(part as LooseRecord, 'text') ?? '';
      return '';
    })
    .filter((text) => text.length > 0)
    .join('\n');
}
