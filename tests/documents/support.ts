/**
 * Document fixtures (tests/fixtures/documents, made from corpus reports by
 * scripts/document-fixtures/make-document-fixtures.sh) and the comparison with what the parser
 * reads from the same report's text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseReport } from '../../src/ingest/parser';
import { findTool } from '../../src/ingest/documents/tools';

export const DOCUMENTS = path.resolve(__dirname, '../fixtures/documents');
export const REPORTS = ['2020_weihai-huancui-jingyuan', '2022_hongqiao-zhengwufuwuban', '2020_dawuli-zhen', '2025_xuwang-zhen'] as const;

export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(DOCUMENTS, name));
}

/** The values the parser reads from the report's text (the corpus copy the fixtures were made from). */
export function textValues(report: string): Record<string, number> {
  const text = fs.readFileSync(path.resolve(__dirname, '../fixtures/corpus', `${report}.txt`), 'utf8');
  const result = parseReport(text, { filename: `${report}.txt` });
  if (!result.ok) throw new Error(`${report}: ${result.error.message}`);
  return result.report.metrics;
}

export interface Comparison {
  readonly expected: number;
  readonly right: string[];
  readonly wrong: string[];
  readonly missing: string[];
  readonly extra: string[];
}

export function compareValues(expected: Record<string, number>, got: Record<string, number>): Comparison {
  const keys = Object.keys(expected);
  return {
    expected: keys.length,
    right: keys.filter((k) => got[k] === expected[k]),
    wrong: keys.filter((k) => k in got && got[k] !== expected[k]).map((k) => `${k}: ${got[k]} ≠ ${expected[k]}`),
    missing: keys.filter((k) => !(k in got)),
    extra: Object.keys(got).filter((k) => !(k in expected)),
  };
}

/**
 * Tests that need a program (LibreOffice, Tesseract) run where it is installed and skip with a
 * message elsewhere; `.ci/run` installs them and sets REQUIRE_DOCUMENT_TOOLS=1, which turns a
 * missing program into a failure.
 */
export function describeWithTool(tool: string, title: string, body: () => void): void {
  const present = findTool(tool) !== null;
  if (!present && process.env.REQUIRE_DOCUMENT_TOOLS === '1') {
    describe(title, () => {
      it(`needs ${tool}`, () => {
        throw new Error(`${tool} is not installed but REQUIRE_DOCUMENT_TOOLS=1`);
      });
    });
    return;
  }
  if (!present) {
    // Deliberate: a developer machine without the tool still runs every other suite; CI sets
    // REQUIRE_DOCUMENT_TOOLS=1 (above), where a missing tool fails instead of skipping.
    console.warn(`skipping "${title}": ${tool} is not installed (apt-get install ${tool === 'tesseract' ? 'tesseract-ocr tesseract-ocr-chi-sim' : tool === 'soffice' ? 'libreoffice-writer-nogui' : tool})`);
    describe.skip(title, body);
    return;
  }
  describe(title, body);
}
