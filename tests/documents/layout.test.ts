/**
 * The layout reader on pages built word by word: what real exports contain, each case alone —
 * a figure broken over two lines, page numbers and running footers, a table split over pages
 * with its header repeated, a label wrapped in its cell, a header set one character per line.
 */
import { pagesToHtml } from '../../src/ingest/documents/layout/document';
import type { PageLayout, Ruling, Word } from '../../src/ingest/documents/layout/types';

const W = 595;
const H = 842;
/** A run of text at (x, y) set at 10 pt, 10 pt per character (CJK width). */
const word = (text: string, x: number, y: number): Word => ({ text, x0: x, x1: x + text.length * 10, y0: y, y1: y + 10 });
const hline = (x0: number, x1: number, y: number): Ruling => ({ x0, x1, y0: y - 0.25, y1: y + 0.25 });
const vline = (x: number, y0: number, y1: number): Ruling => ({ x0: x - 0.25, x1: x + 0.25, y0, y1 });

/** A ruled grid: column boundaries xs, row boundaries ys, every border drawn. */
function grid(xs: number[], ys: number[]): Ruling[] {
  return [...ys.map((y) => hline(xs[0]!, xs[xs.length - 1]!, y)), ...xs.map((x) => vline(x, ys[0]!, ys[ys.length - 1]!))];
}

describe('pagesToHtml', () => {
  it('joins prose lines broken at the page width: a figure cut over two lines is one figure', () => {
    // The first line of the paragraph reaches the right edge of the text block; the figure 13921 is cut after 139.
    const fullLine: PageLayout = {
      width: W,
      height: H,
      rulings: [],
      words: [word('一、总体情况', 50, 50), word('本年度主动公开政府信息共计139', 50, 70), word('21条，其中网站公开30条。', 50, 84), word('这是另一段的开头。', 70, 110)],
    };
    const html = pagesToHtml([fullLine]);
    expect(html).toMatch(/<p>本年度主动公开政府信息共计13921条，其中网站公开30条。<\/p>/);
    expect(html).toMatch(/<p>一、总体情况<\/p>/);
    expect(html).toMatch(/<p>这是另一段的开头/);
  });

  it('leaves out page numbers and running footers, and joins a table split over pages with its header repeated', () => {
    const xs = [50, 250, 350, 450, 550];
    const header = (y: number) => [word('信息内容', 60, y + 5), word('本年制发', 260, y + 5), word('本年废止', 360, y + 5), word('现行有效', 460, y + 5)];
    const page1: PageLayout = {
      width: W,
      height: H,
      rulings: grid(xs, [700, 720, 740]),
      words: [...header(700), word('规章', 60, 725), word('3', 260, 725), word('1', 360, 725), word('2', 460, 725), word('— 1 —', 270, 810), word('某某区人民政府办公室', 240, 825)],
    };
    const page2: PageLayout = {
      width: W,
      height: H,
      rulings: grid(xs, [50, 70, 90]),
      words: [...header(50), word('行政规范性文件', 60, 75), word('5', 260, 75), word('0', 360, 75), word('7', 460, 75), word('— 2 —', 270, 810), word('某某区人民政府办公室', 240, 825)],
    };
    const page3: PageLayout = { width: W, height: H, rulings: [], words: [word('五、存在的主要问题及改进情况', 50, 50), word('— 3 —', 270, 810), word('某某区人民政府办公室', 240, 825)] };
    const html = pagesToHtml([page1, page2, page3]);
    expect(html).not.toMatch(/— \d —|某某区人民政府办公室/);
    expect(html.match(/<table>/g)).toHaveLength(1);
    expect(html.match(/信息内容/g)).toHaveLength(1);
    expect(html).toMatch(/<tr><td>规章<\/td><td>3<\/td><td>1<\/td><td>2<\/td><\/tr>\n<tr><td>行政规范性文件<\/td><td>5<\/td><td>0<\/td><td>7<\/td><\/tr>/);
  });

  it('a label wrapped over lines in its cell and a header set one character per line are one cell each; merged cells get spans', () => {
    // Columns at x 50 | 300 | 330 | 360, rows at y 100 | 120 | 180 | 210; the top-left cell spans two rows.
    const rulings = [
      hline(50, 360, 100), hline(300, 360, 120), hline(50, 360, 180), hline(50, 360, 210),
      vline(50, 100, 210), vline(300, 100, 210), vline(330, 120, 210), vline(360, 100, 210),
    ];
    const vertical = '商业企业'.split('').map((ch, i) => word(ch, 305, 122 + i * 13));
    const page: PageLayout = {
      width: W,
      height: H,
      rulings,
      words: [
        word('申请人情况', 305, 105),
        ...vertical,
        word('总计', 332, 140),
        word('（二）部分公开（区分处理的，只计这一', 55, 182),
        word('情形，不计其他情形）', 55, 196),
        word('12', 305, 188),
        word('12', 335, 188),
      ],
    };
    const html = pagesToHtml([page]);
    expect(html).toMatch(/<td rowspan="2"><\/td><td colspan="2">申请人情况<\/td>/);
    expect(html).toMatch(/<td>商业企业<\/td><td>总计<\/td>/);
    expect(html).toMatch(/<td>（二）部分公开（区分处理的，只计这一情形，不计其他情形）<\/td><td>12<\/td><td>12<\/td>/);
  });
});
