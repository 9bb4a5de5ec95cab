/**
 * `POST /imports` over real HTTP: multipart uploads of published reports, one row per file, on
 * SQLite and MariaDB; credentials, the editor's subtree, size limits and content checks.
 */
import { readCorpus } from '../support/corpus';
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';
import { createJingyuanOffices, createOffice, rowCount } from '../support/fixtures';

const JINGYUAN = readCorpus('2020_weihai-huancui-jingyuan.txt');
const DAWULI = readCorpus('2020_dawuli-zhen.txt');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const LIMITS = { maxFileBytes: 64 * 1024, maxRequestBytes: 160 * 1024, maxFiles: 5 };

interface FileRow {
  file: string;
  outcome: string;
  office: { code: string; name: string } | null;
  year: number | null;
  reader: string | null;
  readingStatus: string | null;
  metricsRead: number;
  warnings: unknown[];
  problem: { code: string; message: string } | null;
  report: { officeCode: string; year: number; revision: number } | null;
}
interface UploadBody {
  files?: FileRow[];
  summary?: Record<string, number>;
  errors?: { message: string; extensions: { code: string; field?: string } }[];
}

function form(files: { name: string; content: string | Buffer; type?: string }[], fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  for (const f of files) body.append('files', new Blob([f.content], { type: f.type ?? 'application/octet-stream' }), f.name);
  return body;
}

describeEachDatabase('POST /imports', (db) => {
  let app: TestApp;
  let editor: string;
  const upload = async (body: FormData | string, token: string | null, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}/imports`, { method: 'POST', body, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as UploadBody };
  };

  beforeAll(async () => {
    app = await startTestApp(db(), { uploads: LIMITS });
    await createJingyuanOffices(app);
    await createOffice(app, 'dawuli', '大五里镇', null, 'TOWN');
    editor = await app.createToken('editor', 'weihai-huancui');
  });
  afterAll(() => app.close());

  it('stores the good files of an upload and gives every file its row, the bad ones included', async () => {
    const res = await upload(
      form([
        { name: '鲸园街道2020年报.txt', content: JINGYUAN, type: 'text/plain' },
        { name: 'not-a-report.txt', content: '购物清单\n苹果 3 个\n', type: 'text/plain' },
        { name: 'scan.png', content: PNG, type: 'image/png' },
        { name: 'archive.bin', content: Buffer.from([1, 0, 2, 0, 3, 0, 0, 0]), type: 'text/plain' },
      ]),
      editor,
    );
    expect(res.status).toBe(200);
    const rows = res.body.files!;
    expect(rows.map((r) => [r.file, r.outcome, r.problem?.code ?? null])).toEqual([
      ['鲸园街道2020年报.txt', 'IMPORTED', null],
      ['not-a-report.txt', 'FAILED', 'NO_REPORT'],
      // A picture is read through OCR now; these bytes are no picture a reader can open (a typed document error).
      ['scan.png', 'FAILED', expect.stringMatching(/^(CORRUPT|TOO_LARGE|NO_TEXT)$/)],
      // Declared text/plain, but the bytes are no text: the content decides.
      ['archive.bin', 'UNSUPPORTED', 'UNSUPPORTED_FORMAT'],
    ]);
    expect(rows[0]).toMatchObject({
      office: { code: 'weihai-huancui-jingyuan', name: '鲸园街道办事处' },
      year: 2020,
      reader: 'text',
      readingStatus: 'verified',
      report: { officeCode: 'weihai-huancui-jingyuan', year: 2020, revision: 1 },
    });
    expect(rows[0]!.metricsRead).toBeGreaterThan(30);
    expect(rows[1]!.problem!.message).toMatch(/line 1|第1行/);
    expect(res.body.summary).toEqual({ IMPORTED: 1, REVISED: 0, UNCHANGED: 0, REFUSED: 0, FAILED: 2, UNSUPPORTED: 1 });

    // What is stored: the one report, with the numbers the row counted, and its audit entry naming the editor's token.
    const stored = await app.gql<{ report: { metrics: { value: number }[] } }>(`{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { metrics(keys: ["proactive.items_total"]) { value } } }`);
    expect(stored.data!.report.metrics[0]!.value).toBe(855);
    expect(await rowCount(app, 'annual_reports')).toBe(1);
    const audit = await app.app.dataSource.query(`SELECT actor, action FROM audit_log WHERE targetType = 'report'`);
    expect(audit).toEqual([{ actor: expect.stringMatching(/^token:/), action: 'report.import.created' }]);
  });

  it('finds the same file unchanged when it is uploaded again', async () => {
    const res = await upload(form([{ name: '2020年报/街道/again.txt', content: JINGYUAN }]), editor);
    expect(res.status).toBe(200);
    expect(res.body.files!.map((r) => [r.file, r.outcome])).toEqual([['2020年报/街道/again.txt', 'UNCHANGED']]);
    expect(res.body.files![0]!.report).toEqual({ officeCode: 'weihai-huancui-jingyuan', year: 2020, revision: 1 });
  });

  it('asks for a credential (401), refuses analysts (403) and offices outside the editor’s subtree (403), storing nothing', async () => {
    const before = await rowCount(app, 'annual_reports');
    const anonymous = await upload(form([{ name: 'd.txt', content: DAWULI }]), null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(anonymous.body.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect((await upload(form([{ name: 'd.txt', content: DAWULI }]), 'dg_not_a_token')).status).toBe(401);

    const analyst = await upload(form([{ name: 'd.txt', content: DAWULI }]), await app.createToken('analyst'));
    expect(analyst.status).toBe(403);
    expect(analyst.body.errors![0]!.message).toBe('POST /imports: needs the editor role; this credential has analyst.');

    // 大五里镇 is not under 环翠区.
    const outside = await upload(form([{ name: 'dawuli.txt', content: DAWULI }]), editor);
    expect(outside.status).toBe(403);
    expect(outside.body.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(outside.body.errors![0]!.message).toContain('outside this editor');
    expect(outside.body.files!.map((r) => [r.outcome, r.problem?.code])).toEqual([['FAILED', 'FORBIDDEN']]);
    expect(await rowCount(app, 'annual_reports')).toBe(before);

    // An administrator may store it.
    const admin = await upload(form([{ name: 'dawuli.txt', content: DAWULI }]), app.adminToken);
    expect(admin.status).toBe(200);
    expect(admin.body.files!.map((r) => r.outcome)).toEqual(['IMPORTED']);
    expect(await rowCount(app, 'annual_reports')).toBe(before + 1);
  });

  it('refuses a file over the per-file limit and a request over the per-request limit with 413, importing none of it', async () => {
    const before = await rowCount(app, 'report_revisions');
    const big = 'x'.repeat(LIMITS.maxFileBytes + 1);
    const tooBig = await upload(form([{ name: 'revised.txt', content: `${JINGYUAN}\n补充说明。` }, { name: 'huge.txt', content: big }]), editor);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.errors![0]).toMatchObject({ extensions: { code: 'PAYLOAD_TOO_LARGE', field: 'huge.txt' } });
    expect(tooBig.body.errors![0]!.message).toContain('huge.txt');

    const half = 'y'.repeat(LIMITS.maxFileBytes - 1024);
    const tooMuch = await upload(form([1, 2, 3].map((i) => ({ name: `part-${i}.txt`, content: half }))), editor);
    expect(tooMuch.status).toBe(413);
    expect(tooMuch.body.errors![0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(tooMuch.body.errors![0]!.message).toContain('UPLOAD_MAX_REQUEST_BYTES');

    const tooMany = await upload(form([1, 2, 3, 4, 5, 6].map((i) => ({ name: `n-${i}.txt`, content: 'z' }))), editor);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.errors![0]!.message).toContain('UPLOAD_MAX_FILES');
    expect(await rowCount(app, 'report_revisions')).toBe(before);
  });

  it('answers 415 for a body that is not multipart, and 400 for a form without files', async () => {
    const json = await upload(JSON.stringify({ text: JINGYUAN }), editor, { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect(json.body.errors![0]).toMatchObject({ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-type' } });
    const empty = await upload(form([], { officeCode: 'weihai-huancui-jingyuan' }), editor);
    expect(empty.status).toBe(400);
    expect(empty.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'files' } });
  });

  it('takes officeCode from the form for reports whose title names no known office', async () => {
    const untitled = JINGYUAN.replace(/威海市环翠区鲸园街道办事处/g, '本机关').replace(/鲸园街道办事处/g, '本机关');
    const res = await upload(form([{ name: 'untitled.txt', content: untitled }], { officeCode: 'weihai-huancui-jingyuan' }), editor);
    expect(res.status).toBe(200);
    expect(res.body.files![0]).toMatchObject({ office: { code: 'weihai-huancui-jingyuan' }, year: 2020 });
    expect(['UNCHANGED', 'REVISED']).toContain(res.body.files![0]!.outcome);
  });
});
