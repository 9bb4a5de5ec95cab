/**
 * Just enough of PNG and PGM to find a scanned table's ruling lines: long thin runs of dark pixels.
 * Tesseract reads the words; the borders it does not report are found here, so a scanned table is
 * cut into cells the same way as a PDF's drawn one.
 */
import zlib from 'node:zlib';
import type { Ruling } from './layout/types';

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** Width and height from a PNG's or JPEG's header, without decoding it. */
export function imageSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length > 24 && bytes.readUInt32BE(0) === 0x89504e47) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1]!;
      const length = bytes.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
      }
      i += 2 + length;
    }
  }
  return null;
}

/** An 8-bit, non-interlaced PNG as gray levels; null for what it does not cover (it is only for rulings). */
export function decodePng(bytes: Buffer): GrayImage | null {
  if (bytes.length < 33 || bytes.readUInt32BE(0) !== 0x89504e47) return null;
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  let palette: Buffer | null = null;
  const idat: Buffer[] = [];
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) return null;
      colorType = data[9]!;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!channels || width === 0 || height === 0) return null;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(width * height);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? cur[x - channels]! : 0;
      const b = prev[x]!;
      const c = x >= channels ? prev[x - channels]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const i = x * channels;
      if (colorType === 0 || colorType === 4) pixels[y * width + x] = cur[i]!;
      else if (colorType === 3) {
        const p = (cur[i] ?? 0) * 3;
        pixels[y * width + x] = palette ? Math.round((palette[p]! + palette[p + 1]! + palette[p + 2]!) / 3) : cur[i]!;
      } else pixels[y * width + x] = Math.round((cur[i]! * 30 + cur[i + 1]! * 59 + cur[i + 2]! * 11) / 100);
    }
    prev = cur;
  }
  return { width, height, pixels };
}

/** A binary PGM (P5, 8-bit), as pdftoppm -gray writes it. */
export function decodePgm(bytes: Buffer): GrayImage | null {
  const header = bytes.subarray(0, 64).toString('latin1');
  const m = /^P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!m || Number(m[3]) > 255) return null;
  const width = Number(m[1]);
  const height = Number(m[2]);
  return { width, height, pixels: new Uint8Array(bytes.subarray(m[0].length, m[0].length + width * height)) };
}

/** Long thin dark runs, horizontal and vertical, merged across the rows (or columns) a thick line covers. */
export function findRulings(image: GrayImage, minLength: number): Ruling[] {
  const { width, height, pixels } = image;
  const dark = (x: number, y: number) => pixels[y * width + x]! < 140;
  const out: Ruling[] = [];
  const collect = (outer: number, inner: number, isDark: (o: number, i: number) => boolean, make: (o0: number, o1: number, i0: number, i1: number) => Ruling) => {
    let open: { o0: number; o1: number; i0: number; i1: number }[] = [];
    for (let o = 0; o < outer; o++) {
      const runs: [number, number][] = [];
      let start = -1;
      let gaps = 0;
      for (let i = 0; i <= inner; i++) {
        if (i < inner && isDark(o, i)) {
          if (start < 0) start = i;
          gaps = 0;
        } else if (start >= 0) {
          // A scanned line has specks missing: tolerate gaps of two pixels.
          if (i < inner && gaps < 2) {
            gaps++;
            continue;
          }
          const end = i - gaps;
          if (end - start >= minLength) runs.push([start, end]);
          start = -1;
          gaps = 0;
        }
      }
      const next: typeof open = [];
      for (const [a, b] of runs) {
        const seg = open.find((s) => s.o1 === o - 1 && Math.min(s.i1, b) - Math.max(s.i0, a) > 0.8 * Math.min(s.i1 - s.i0, b - a));
        if (seg) {
          seg.o1 = o;
          seg.i0 = Math.min(seg.i0, a);
          seg.i1 = Math.max(seg.i1, b);
          next.push(seg);
        } else next.push({ o0: o, o1: o, i0: a, i1: b });
      }
      for (const s of open) if (!next.includes(s)) out.push(make(s.o0, s.o1, s.i0, s.i1));
      open = next;
    }
    for (const s of open) out.push(make(s.o0, s.o1, s.i0, s.i1));
  };
  collect(height, width, (y, x) => dark(x, y), (o0, o1, i0, i1) => ({ x0: i0, x1: i1, y0: o0, y1: o1 + 1 }));
  collect(width, height, (x, y) => dark(x, y), (o0, o1, i0, i1) => ({ x0: o0, x1: o1 + 1, y0: i0, y1: i1 }));
  // A filled block (a photo, a stamp) is not a line.
  return out.filter((r) => Math.min(r.x1 - r.x0, r.y1 - r.y0) <= Math.max(8, minLength / 4));
}

/** Twice the size (pixel doubling): Tesseract reads a 150 dpi scan far better at 300 dpi. */
export function upscale2(image: GrayImage): GrayImage {
  const width = image.width * 2;
  const height = image.height * 2;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const src = (y >> 1) * image.width;
    const dst = y * width;
    for (let x = 0; x < width; x++) pixels[dst + x] = image.pixels[src + (x >> 1)]!;
  }
  return { width, height, pixels };
}

/** The picture with its ruling lines painted white: cell borders read as 1, l or | otherwise. */
export function eraseRulings(image: GrayImage, rulings: readonly Ruling[], margin = 2): GrayImage {
  const pixels = new Uint8Array(image.pixels);
  for (const r of rulings) {
    for (let y = Math.max(0, Math.floor(r.y0) - margin); y < Math.min(image.height, Math.ceil(r.y1) + margin); y++) {
      pixels.fill(255, y * image.width + Math.max(0, Math.floor(r.x0) - margin), y * image.width + Math.min(image.width, Math.ceil(r.x1) + margin));
    }
  }
  return { width: image.width, height: image.height, pixels };
}

export function encodePgm(image: GrayImage): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1'), Buffer.from(image.pixels)]);
}
