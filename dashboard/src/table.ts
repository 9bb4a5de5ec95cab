/**
 * The tables behind the charts: at a district's or a city's size they hold hundreds or thousands
 * of rows, so a long table shows one page at a time, with a search over every cell and a sort on
 * any column (click its heading), instead of running the page dozens of screens long.
 */
import { h } from './dom';

export interface TableSpec {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | Node)[])[];
  readonly caption?: string;
}

export const TABLE_PAGE_SIZE = 20;

type Cell = string | number | Node;

const textOf = (cell: Cell): string => (cell instanceof Node ? (cell.textContent ?? '') : String(cell));

/** A number read from a cell as shown (12,345 · +3 · 45.6% · 12（+3%））; null when the cell is not one. */
function numberOf(cell: Cell): number | null {
  if (typeof cell === 'number') return cell;
  const match = /^[+-]?[\d,]+(\.\d+)?/.exec(textOf(cell).trim());
  return match ? Number(match[0].replace(/,/g, '')) : null;
}

function compareCells(a: Cell, b: Cell): number {
  const x = numberOf(a);
  const y = numberOf(b);
  // Numbers before blanks (—, 未报送) whichever the direction, so blanks never pass for the top or bottom.
  if (x !== null && y !== null) return x - y;
  if (x !== null) return -1;
  if (y !== null) return 1;
  return textOf(a).localeCompare(textOf(b), 'zh-CN');
}

function cellElement(cell: Cell): HTMLTableCellElement {
  return h('td', { class: typeof cell === 'number' ? 'num' : undefined }, cell instanceof Node ? cell : String(cell));
}

/** `paged: false` for a table whose rows the caller marks afterwards (the report's numbers, opened on demand). */
export function renderTable(table: TableSpec, testId?: string, options: { paged?: boolean } = {}): HTMLElement {
  const head = h('thead', {}, h('tr', {}, table.columns.map((c) => h('th', { scope: 'col' }, c))));
  const body = h('tbody');
  const element = h('table', { class: 'data', 'data-testid': testId }, table.caption ? h('caption', {}, table.caption) : null, head, body);
  if (table.rows.length <= TABLE_PAGE_SIZE || options.paged === false) {
    body.append(...table.rows.map((row) => h('tr', {}, row.map(cellElement))));
    return element;
  }

  let page = 0;
  let sortColumn = -1;
  let descending = false;
  const search = h('input', { type: 'search', class: 'table-search', placeholder: '搜索表格 / Search the table', 'aria-label': '搜索表格 / Search the table', 'data-testid': testId ? `${testId}-search` : undefined });
  const previous = h('button', { type: 'button', 'data-testid': testId ? `${testId}-previous` : undefined }, '‹ 上一页 / Previous');
  const next = h('button', { type: 'button', 'data-testid': testId ? `${testId}-next` : undefined }, '下一页 / Next ›');
  const position = h('span', { class: 'pager-position', 'data-testid': testId ? `${testId}-position` : undefined });
  const paint = () => {
    const term = search.value.trim().toLowerCase();
    let rows = term ? table.rows.filter((row) => row.some((cell) => textOf(cell).toLowerCase().includes(term))) : [...table.rows];
    if (sortColumn >= 0) {
      rows = rows.sort((a, b) => compareCells(a[sortColumn]!, b[sortColumn]!));
      if (descending) {
        // Reverse the numbers only: blanks stay last.
        const numbers = rows.filter((r) => numberOf(r[sortColumn]!) !== null).reverse();
        rows = [...numbers, ...rows.filter((r) => numberOf(r[sortColumn]!) === null)];
      }
    }
    const pages = Math.max(1, Math.ceil(rows.length / TABLE_PAGE_SIZE));
    page = Math.min(page, pages - 1);
    body.replaceChildren(...rows.slice(page * TABLE_PAGE_SIZE, (page + 1) * TABLE_PAGE_SIZE).map((row) => h('tr', {}, row.map(cellElement))));
    position.textContent = `第 ${page + 1}/${pages} 页 · 共 ${rows.length} 行 / page ${page + 1} of ${pages}, ${rows.length} rows`;
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
    head.querySelectorAll('th').forEach((th, i) => th.setAttribute('aria-sort', i === sortColumn ? (descending ? 'descending' : 'ascending') : 'none'));
  };
  head.querySelectorAll('th').forEach((th, i) => {
    th.classList.add('sortable');
    th.title = '点击排序 / Click to sort';
    th.addEventListener('click', () => {
      descending = sortColumn === i ? !descending : false;
      sortColumn = i;
      page = 0;
      paint();
    });
  });
  search.addEventListener('input', () => {
    page = 0;
    paint();
  });
  previous.addEventListener('click', () => {
    page -= 1;
    paint();
  });
  next.addEventListener('click', () => {
    page += 1;
    paint();
  });
  paint();
  return h('div', { class: 'paged-table' }, h('div', { class: 'table-tools' }, search, previous, position, next), element);
}
