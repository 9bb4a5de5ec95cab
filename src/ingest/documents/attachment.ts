/**
 * A saved web page whose body is little more than a link to the report as an attachment (.pdf,
 * .docx, .doc, .wps) in the same folder, as "save page as" or a crawler leaves it: the attachment
 * is the report. Pictures saved beside a page (tables published as images) are read the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';

const ATTACHMENT = /\.(pdf|docx|doc|wps)$/i;
const PICTURE = /\.(png|jpe?g)$/i;

export interface Attachment {
  readonly file: string;
  readonly kind: 'document' | 'pictures';
}

/** Local targets of the page's links (or images), resolved inside `directory`; nothing outside it. */
function localTargets(hrefs: string[], directory: string): string[] {
  const root = path.resolve(directory);
  const out: string[] = [];
  for (const href of hrefs) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('file:')) {
      // An absolute URL: the saved copy, if any, lies beside the page under its base name.
      const base = decodeURIComponent(href.split(/[?#]/)[0]!.split('/').pop() ?? '');
      if (base) out.push(path.join(root, base));
      continue;
    }
    const clean = decodeURIComponent(href.replace(/^file:\/\//, '').split(/[?#]/)[0]!);
    const target = path.resolve(root, clean);
    if (target.startsWith(`${root}${path.sep}`)) out.push(target);
  }
  return out.filter((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/** The page's attachment when its own text is too thin to be the report. */
export function findAttachment(html: string, directory: string | undefined): Attachment | null {
  if (!directory) return null;
  const $ = cheerio.load(html);
  $('script, style, noscript').remove();
  const text = $('body').text().replace(/\s+/g, '');
  const hasTables = $('table td').toArray().some((td) => /\d/.test($(td).text()));
  const hrefs = $('a[href]').toArray().map((a) => $(a).attr('href') ?? '').filter((h) => ATTACHMENT.test(h.split(/[?#]/)[0]!));
  // A page that holds the report itself has its tables and hundreds of characters of text.
  if (hrefs.length > 0 && !hasTables && text.length < 1500) {
    const [first] = localTargets(hrefs, directory);
    if (first) return { file: first, kind: 'document' };
  }
  if (!hasTables && /三、收到和处理政府信息公开申请情况|申请情况/.test(text)) {
    const imgs = $('img[src]').toArray().map((i) => $(i).attr('src') ?? '').filter((s) => PICTURE.test(s.split(/[?#]/)[0]!));
    if (localTargets(imgs, directory).length > 0) return { file: '', kind: 'pictures' };
  }
  return null;
}

export function pictureFiles(html: string, directory: string): string[] {
  const $ = cheerio.load(html);
  const imgs = $('img[src]').toArray().map((i) => $(i).attr('src') ?? '').filter((s) => PICTURE.test(s.split(/[?#]/)[0]!));
  return localTargets(imgs, directory);
}
