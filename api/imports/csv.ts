/** Placeholder: long-form CSV is built next. */
export async function* csvCases(lines: AsyncIterable<string>): AsyncIterable<string> {
  for await (const line of lines) yield line;
  throw new Error('CSV import is not built yet');
}

export function casesToCsv(_cases: Record<string, unknown>[]): string {
  return '';
}
