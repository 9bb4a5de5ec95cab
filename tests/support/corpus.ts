/**
 * The corpus of real published reports with the numbers a person read from each. Tests read it
 * from ../shared/corpus/ where the checkout sits beside it, and otherwise (a clone elsewhere, CI)
 * from the copy kept as test fixtures in tests/fixtures/corpus/.
 */
import fs from 'node:fs';
import path from 'node:path';

const SHARED = path.resolve(__dirname, '../../../shared/corpus');
const FIXTURES = path.resolve(__dirname, '../fixtures/corpus');

export const CORPUS_DIR = process.env.CORPUS_DIR ?? (fs.existsSync(SHARED) ? SHARED : FIXTURES);

export function corpusFile(name: string): string {
  return path.join(CORPUS_DIR, name);
}

export function readCorpus(name: string): string {
  return fs.readFileSync(corpusFile(name), 'utf8');
}

export interface ExpectedReport {
  office: string | null;
  year: number;
  templateFormat: '2019' | '2021';
  metrics: Record<string, number>;
}

export function corpusCases(): { name: string; text: string; expected: ExpectedReport }[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.expected.json'))
    .sort()
    .map((f) => {
      const name = f.replace(/\.expected\.json$/, '');
      return { name, text: readCorpus(`${name}.txt`), expected: JSON.parse(readCorpus(f)) as ExpectedReport };
    });
}
