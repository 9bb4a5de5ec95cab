import { parseReport } from '../../src/ingest/parser';
import { isStoredMetricKey } from '../../src/metrics/catalog';
import { corpusCases } from '../support/corpus';

const cases = corpusCases();

/** Numbers read correctly over the whole corpus, and numbers read that a person did not read. */
function accuracy() {
  let expected = 0;
  let correct = 0;
  let extra = 0;
  const misses: string[] = [];
  for (const c of cases) {
    const result = parseReport(c.text, { filename: `${c.name}.txt` });
    const metrics = result.ok ? result.report.metrics : {};
    for (const [key, value] of Object.entries(c.expected.metrics)) {
      expected += 1;
      if (metrics[key] === value) correct += 1;
      else misses.push(`${c.name} ${key}: expected ${value}, got ${metrics[key]}`);
    }
    for (const key of Object.keys(metrics)) {
      if (!(key in c.expected.metrics)) {
        extra += 1;
        misses.push(`${c.name} ${key}: read ${metrics[key]}, a person read nothing`);
      }
    }
  }
  return { expected, correct, extra, misses };
}

describe('the parser on the corpus of published reports', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: office, year and template format', (_name, c) => {
    const result = parseReport(c.text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect({ office: result.report.office, year: result.report.year, templateFormat: result.report.templateFormat }).toEqual({
      office: c.expected.office,
      year: c.expected.year,
      templateFormat: c.expected.templateFormat,
    });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: every number a person read, and no other', (_name, c) => {
    const result = parseReport(c.text);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.report.metrics).toEqual(c.expected.metrics);
    for (const key of Object.keys(result.report.metrics)) expect(isStoredMetricKey(key)).toBe(true);
  });

  it('reads every number of the corpus (the share is printed)', () => {
    const { expected, correct, extra, misses } = accuracy();
    console.log(`parser accuracy: ${correct}/${expected} numbers read correctly (${((100 * correct) / expected).toFixed(1)}%), ${extra} extra`);
    if (misses.length) console.log(misses.join('\n'));
    expect(correct).toBe(expected);
    expect(extra).toBe(0);
  });
});
