/**
 * 导入 / Import: an editor drops report files or a whole folder (or picks them); each file is
 * uploaded on its own to POST /imports, so its row shows its result as soon as it is processed,
 * with a link to the stored report.
 */
import { FILE_OUTCOME_LABELS, type FileOutcome, type ImportFileResult } from '../../../src/ingest/import-contract';
import { storeToken, storedToken, uploadReport } from '../api';
import { h } from '../dom';

interface Picked {
  readonly file: File;
  /** The path inside a dropped or chosen folder, else the file's name. */
  readonly name: string;
}

const READERS: Record<string, string> = {
  text: '文本 / text',
  html: '网页 / HTML',
  pdf: 'PDF',
  'pdf-ocr': 'PDF（文字识别 / OCR）',
  docx: 'Word (.docx)',
  doc: 'Word (.doc)',
  'image-ocr': '图片（文字识别 / OCR）',
  'html-attachment': '网页附件 / attachment',
};

const READING_STATUS: Record<string, string> = {
  verified: '已核对 / verified',
  'read-with-findings': '有勾稽问题 / read with findings',
  partial: '不完整 / partial',
  unreadable: '无法读取 / unreadable',
};

const COLUMNS = ['文件 / File', '机关 / Office', '年度 / Year', '读取方式 / Read as', '读取状态 / Reading', '数值 / Numbers', '提示 / Warnings', '结果 / Outcome', '说明 / Problem', '报告 / Report'];

/** A row's state before (or instead of) the service's outcome. */
const ROW_STATES: Record<string, string> = { queued: '等待上传 / queued', uploading: '处理中 / processing', error: '上传失败 / upload failed', skipped: '未上传 / not sent' };

const outcomeLabel = (outcome: FileOutcome) => `${FILE_OUTCOME_LABELS[outcome].zh} / ${FILE_OUTCOME_LABELS[outcome].en}`;

/** Where the dashboard shows a stored report: its district's views with the report's numbers open. */
export function reportLink(officeCode: string, year: number): string {
  return `#${new URLSearchParams({ year: String(year), report: officeCode }).toString()}`;
}

/** Every file under a dropped entry; folders are read recursively (readEntries answers in batches). */
async function filesOf(entry: FileSystemEntry): Promise<Picked[]> {
  // Dot entries are a tool's own (.DS_Store, .git), never a published report: the CLI skips them too.
  if (entry.name.startsWith('.')) return [];
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ file, name: entry.fullPath.replace(/^\//, '') || file.name }];
  }
  if (!entry.isDirectory) return [];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  children.sort((a, b) => a.name.localeCompare(b.name, 'en'));
  const out: Picked[] = [];
  for (const child of children) out.push(...(await filesOf(child)));
  return out;
}

async function droppedFiles(transfer: DataTransfer): Promise<Picked[]> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return [...transfer.files].map((file) => ({ file, name: file.name }));
  const out: Picked[] = [];
  for (const entry of entries) out.push(...(await filesOf(entry)));
  return out;
}

function pickedFromInput(input: HTMLInputElement): Picked[] {
  return [...(input.files ?? [])].map((file) => ({ file, name: file.webkitRelativePath || file.name })).filter((p) => !p.name.split('/').some((part) => part.startsWith('.')));
}

class ResultRow {
  readonly element: HTMLTableRowElement;

  constructor(readonly picked: Picked) {
    this.element = h('tr', { 'data-file': picked.name, 'data-state': 'queued' });
    this.paint([picked.name, '', '', '', '', '', '', ROW_STATES.queued!, '', '']);
  }

  private paint(cells: (string | Node)[], outcome?: FileOutcome): void {
    this.element.replaceChildren(...cells.map((c, i) => h('td', { 'data-col': String(i) }, c)));
    if (outcome) this.element.dataset.outcome = outcome;
  }

  uploading(): void {
    this.element.dataset.state = 'uploading';
    this.paint([this.picked.name, '', '', '', '', '', '', h('span', {}, h('span', { class: 'spinner' }), ROW_STATES.uploading!), '', '']);
  }

  done(result: ImportFileResult): void {
    this.element.dataset.state = 'done';
    const office = result.office?.name ?? (result.officeNamed ? `${result.officeNamed}（未匹配 / not matched）` : '—');
    const problem = result.problem ? `${result.problem.message}${result.problem.line ? `（第${result.problem.line}行 / line ${result.problem.line}）` : ''} [${result.problem.code}]` : '';
    const warnings = result.warnings.length ? h('span', { title: result.warnings.map((w) => w.message).join('\n') }, String(result.warnings.length)) : '0';
    const link = result.report ? h('a', { href: reportLink(result.report.officeCode, result.report.year), 'data-testid': 'import-report-link' }, `查看报告 / View report（第${result.report.revision}版）`) : '';
    this.paint(
      [
        this.picked.name,
        office,
        result.year === null ? '—' : String(result.year),
        result.reader ? (READERS[result.reader] ?? result.reader) : '—',
        result.readingStatus ? (READING_STATUS[result.readingStatus] ?? result.readingStatus) : '—',
        String(result.metricsRead),
        warnings,
        h('span', { class: `outcome ${result.outcome.toLowerCase()}` }, outcomeLabel(result.outcome)),
        problem,
        link,
      ],
      result.outcome,
    );
  }

  waiting(message: string): void {
    this.element.dataset.state = 'uploading';
    this.paint([this.picked.name, '', '', '', '', '', '', ROW_STATES.uploading!, message, '']);
  }

  /** The request itself was refused or broke off: no row from the service, the reason instead. */
  failed(message: string, state: 'error' | 'skipped' = 'error'): void {
    this.element.dataset.state = state;
    this.paint([this.picked.name, '', '', '', '', '', '', h('span', { class: 'outcome failed' }, ROW_STATES[state]!), message, '']);
  }
}

export function importPage(): HTMLElement {
  const token = h('input', { type: 'password', placeholder: '编辑令牌 / Editor token', value: storedToken(), 'data-testid': 'import-token', autocomplete: 'off' });
  // On every keystroke: files may be dropped before the field loses focus.
  token.addEventListener('input', () => storeToken(token.value));
  const officeCode = h('input', { type: 'text', placeholder: '可选：机关编码 / optional office code', 'data-testid': 'import-office' });
  const pickFiles = h('input', { type: 'file', multiple: true, 'data-testid': 'import-files' });
  const pickFolder = h('input', { type: 'file', multiple: true, webkitdirectory: true, 'data-testid': 'import-folder' });
  const drop = h(
    'div',
    { class: 'dropzone', 'data-testid': 'import-drop', tabindex: '0' },
    h('strong', {}, '把报告文件或文件夹拖到这里 / Drop report files or a folder here'),
    h('p', {}, '支持 / read: .txt .htm .html（PDF、Word、扫描件视服务的读取器而定 / PDF, Word and scans as the service can read them）'),
    h('div', { class: 'pickers' }, h('label', {}, '选择文件 / Choose files ', pickFiles), h('label', {}, '选择文件夹 / Choose a folder ', pickFolder)),
  );
  const summary = h('p', { class: 'import-summary', role: 'status', 'data-testid': 'import-summary' }, '尚未上传文件 / No files uploaded yet');
  const body = h('tbody', {});
  const table = h('table', { class: 'data', 'data-testid': 'import-results' }, h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))), body);
  table.hidden = true;

  const rows: ResultRow[] = [];
  const counts = () => {
    const by = new Map<string, number>();
    for (const r of rows) {
      const key = r.element.dataset.outcome ? outcomeLabel(r.element.dataset.outcome as FileOutcome) : ROW_STATES[r.element.dataset.state ?? 'queued'] ?? '';
      by.set(key, (by.get(key) ?? 0) + 1);
    }
    summary.textContent = `${rows.length} 个文件 / files：${[...by].map(([k, n]) => `${k} ${n}`).join(' · ')}`;
  };

  let queue: ResultRow[] = [];
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    drop.setAttribute('aria-busy', 'true');
    while (queue.length > 0) {
      const row = queue.shift()!;
      row.uploading();
      counts();
      try {
        const answer = await uploadReport(row.picked.file, row.picked.name, officeCode.value);
        if (answer.kind === 'refused' && answer.status === 429) {
          // A large folder can outrun the per-minute request limit: wait as told, then send the file again.
          const seconds = Math.min(answer.retryAfterSeconds ?? 5, 60);
          row.waiting(`请求过多，${seconds} 秒后重试 / rate limited; retrying in ${seconds} s`);
          await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
          queue.unshift(row);
          continue;
        }
        if (answer.kind === 'results') {
          for (const result of answer.body.files) row.done(result);
        } else {
          const hint = answer.status === 401 || answer.status === 403 ? ' — 需要编辑令牌（编辑员或管理员）/ an editor token is needed' : '';
          row.failed(`HTTP ${answer.status}${answer.code ? ` [${answer.code}]` : ''} ${answer.message}${hint}`);
          // Without the right credential every other file would be refused the same way.
          if (answer.status === 401 || answer.status === 403) {
            for (const rest of queue) rest.failed('上一个文件因凭据被拒绝，未上传 / not sent: the credential was refused', 'skipped');
            queue = [];
          }
        }
      } catch (error) {
        row.failed((error as Error).message);
      }
      counts();
    }
    running = false;
    drop.setAttribute('aria-busy', 'false');
  };

  const enqueue = (picked: Picked[]) => {
    if (picked.length === 0) return;
    table.hidden = false;
    for (const p of picked) {
      const row = new ResultRow(p);
      rows.push(row);
      queue.push(row);
      body.append(row.element);
    }
    counts();
    void run();
  };

  pickFiles.addEventListener('change', () => {
    enqueue(pickedFromInput(pickFiles));
    pickFiles.value = '';
  });
  pickFolder.addEventListener('change', () => {
    enqueue(pickedFromInput(pickFolder));
    pickFolder.value = '';
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    if (!event.dataTransfer) return;
    droppedFiles(event.dataTransfer).then(enqueue, (error: unknown) => {
      summary.textContent = `读取拖入的文件失败 / the dropped files could not be read: ${(error as Error).message}`;
    });
  });

  return h(
    'main',
    { class: 'import-page' },
    h(
      'section',
      { class: 'panel', id: 'import' },
      h('header', {}, h('h2', {}, '导入年度报告', h('small', {}, 'Import reports'))),
      h('p', { class: 'inline' }, '每个文件单独上传并导入；标题能确定机关时无需机关编码。需要编辑令牌，只能导入本机关及下级机关的报告。/ Each file is uploaded and imported on its own; the office code is needed only when a title names no known office. Needs an editor token, for the offices under its own.'),
      h('div', { class: 'toolbar inline-toolbar' }, h('div', { class: 'picker' }, h('label', {}, '令牌 / Token'), token), h('div', { class: 'picker' }, h('label', {}, '机关编码 / Office code'), officeCode)),
      drop,
      summary,
      table,
    ),
  );
}
