/**
 * Download buttons: the file is fetched with the stored token (a plain link would go without the
 * Authorization header) and saved under the name given. The export routes take their query's
 * arguments as URL parameters (src/exports), so a panel builds the URL from what it shows.
 */
import { downloadWithAuth } from './api';
import { h } from './dom';

export interface Download {
  /** Button text, Chinese / English. */
  readonly label: string;
  /** `/exports/compare-offices.xlsx?…` */
  readonly url: string;
  readonly fileName: string;
  readonly testId: string;
}

export type ExportArgs = Record<string, string | number | readonly (string | number)[] | null | undefined>;

/** `/exports/<route>.<format>?…`, lists comma-separated, absent arguments left out. */
export function exportUrl(route: string, format: 'xlsx' | 'csv', args: ExportArgs): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(args)) {
    if (value === null || value === undefined) continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  return `/exports/${route}.${format}?${params.toString()}`;
}

/** The XLSX and the CSV of one export, for a panel: `<panel>-download-xlsx`, `<panel>-download-csv`. */
export function exportDownloads(panelId: string, route: string, args: ExportArgs, fileBase: string): Download[] {
  return [
    { label: '下载 Excel / Download .xlsx', url: exportUrl(route, 'xlsx', args), fileName: `${fileBase}.xlsx`, testId: `${panelId}-download-xlsx` },
    { label: 'CSV', url: exportUrl(route, 'csv', args), fileName: `${fileBase}.csv`, testId: `${panelId}-download-csv` },
  ];
}

export function downloadButton(label: string, url: string, fileName: string, testId: string, status: HTMLElement): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'download', 'data-testid': testId, 'data-url': url }, label);
  button.addEventListener('click', () => {
    button.disabled = true;
    status.className = 'download-status';
    status.removeAttribute('role');
    status.textContent = `正在下载 ${fileName}… / Downloading…`;
    downloadWithAuth(url, fileName, fileName)
      .then((saved) => {
        status.textContent = `已下载 ${saved} / Downloaded`;
      })
      .catch((error: unknown) => {
        status.className = 'download-status error';
        status.setAttribute('role', 'alert');
        status.textContent = `下载失败 / Download failed — ${(error as Error).message}`;
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return button;
}

/** A panel's content with its downloads; an empty state has nothing to download. */
export function withDownloads<T extends object>(content: T | { empty: string }, downloads: readonly Download[]): T | { empty: string } {
  return 'empty' in content ? content : { ...content, downloads };
}

/** A panel's `present` function, its content given these downloads. */
export function presentWithDownloads<A extends unknown[], T extends object>(downloads: readonly Download[], present: (...args: A) => T | { empty: string }): (...args: A) => T | { empty: string } {
  return (...args) => withDownloads(present(...args), downloads);
}

/** A panel's downloads in a row, with one status line saying what happened. */
export function downloadBar(panelId: string, downloads: readonly Download[]): HTMLElement {
  const status = h('span', { class: 'download-status', 'data-testid': `${panelId}-download-status` });
  return h('div', { class: 'downloads panel-downloads', 'data-testid': `${panelId}-downloads` }, downloads.map((d) => downloadButton(d.label, d.url, d.fileName, d.testId, status)), status);
}
