/**
 * Child process of bench/documents.ts: started with the server's heap ceiling, it reads a PDF
 * through readDocument and imports it into a fresh SQLite database through the import service,
 * then prints its own peak RSS (VmHWM: the whole process, the PDF reader's worker thread included).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cliViewer } from '../src/auth/viewer';
import { createDataSource, migrate } from '../src/db/data-source';
import { readDocument } from '../src/ingest/documents';
import { createServices } from '../src/server/context';

async function main(): Promise<void> {
  const [file, database] = process.argv.slice(2);
  const dataSource = await createDataSource({ type: 'sqlite', path: database! });
  await migrate(dataSource);
  const services = createServices(dataSource);
  // The offices of the report (鲸园街道, 25 copies of whose report the PDF holds).
  const viewer = cliViewer();
  await services.offices.upsert({ code: 'weihai', name: '威海市', kind: 'GOVERNMENT', parentCode: null } as never, viewer);
  await services.offices.upsert({ code: 'weihai-huancui', name: '环翠区', kind: 'GOVERNMENT', parentCode: 'weihai' } as never, viewer);
  await services.offices.upsert({ code: 'weihai-huancui-jingyuan', name: '鲸园街道办事处', kind: 'SUB_DISTRICT', parentCode: 'weihai-huancui' } as never, viewer);
  const reading = await readDocument({ bytes: fs.readFileSync(file!), filename: path.basename(file!) });
  const [outcome] = await services.imports.importMany([{ text: reading.text, filename: path.basename(file!) }], { officeCode: 'weihai-huancui-jingyuan', viewer });
  await dataSource.destroy();
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  console.log(`status=${outcome?.status} problem=${outcome?.problem?.code ?? '-'} peakRssMb=${Math.round(hwm / 1024)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
