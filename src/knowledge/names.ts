/**
 * One normal form for names, shared by the loader (to find aliases claimed twice) and the search (to match
 * them): lowercase, accents and punctuation gone, and the vendor words "Amazon"/"AWS" dropped, so that
 * "Amazon SQS", "aws sqs" and "SQS" are the same name.
 */
const vendorWords = new Set(['amazon', 'aws']);

export function normalizeName(s: string): string {
  return tokenizeName(s).join(' ');
}

/** The words of a name, normalized; `route 53` and `route-53` give the same words. */
export function tokenizeName(s: string): string[] {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[@/]/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0 && !vendorWords.has(w));
}
