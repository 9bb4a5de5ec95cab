/**
 * One entry of a zip (a .docx part) unpacked with fflate's streaming reader, stopped as soon as it
 * passes the size limit: a zip bomb's declared sizes can lie, the bytes it inflates to cannot.
 */
import { Unzip, UnzipInflate } from 'fflate';
import { DocumentError } from './errors';

export function readZipEntries(bytes: Buffer, wanted: (name: string) => boolean, filename: string, maxBytes: number): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const chunks = new Map<string, Uint8Array[]>();
  let total = 0;
  let failure: DocumentError | null = null;
  const unzip = new Unzip((file) => {
    if (!wanted(file.name) || failure) return;
    const tooLarge = () =>
      new DocumentError('TOO_LARGE', filename, `解压后超过 ${Math.round(maxBytes / 1048576)} MB（疑似压缩炸弹）/ unpacks to more than ${Math.round(maxBytes / 1048576)} MB (a zip bomb?) (DOCUMENT_MAX_UNZIPPED_BYTES)`);
    // The declared size is checked first (cheap); the inflated bytes are counted too, as it may lie.
    if ((file.originalSize ?? 0) + total > maxBytes) {
      failure = tooLarge();
      return;
    }
    const parts: Uint8Array[] = [];
    chunks.set(file.name, parts);
    file.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) {
        failure = new DocumentError('CORRUPT', filename, `压缩包中的 ${file.name} 已损坏 / ${file.name} in the archive is corrupt (${error.message})`);
        return;
      }
      total += chunk.length;
      if (total > maxBytes) {
        failure = tooLarge();
        file.terminate();
        return;
      }
      parts.push(chunk);
      if (final) out.set(file.name, Buffer.concat(parts));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    // Fed in slices so that a bomb is stopped after its first megabytes, not after inflating it all.
    const step = 1 << 16;
    for (let i = 0; i < bytes.length && !failure; i += step) unzip.push(bytes.subarray(i, Math.min(bytes.length, i + step)), i + step >= bytes.length);
  } catch (error) {
    if (!failure) failure = new DocumentError('CORRUPT', filename, `不是有效的 zip/docx 文件 / not a valid zip (.docx) file (${error instanceof Error ? error.message : String(error)})`);
  }
  if (failure) throw failure;
  return out;
}
