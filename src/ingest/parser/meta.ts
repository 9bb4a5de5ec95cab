/**
 * What a report says about itself: its title, the office and year it names, when it was
 * published, and whom to contact. Only what the text states; an office named only generically
 * (我局, 区政府办公室) is no office.
 */

const OFFICE_SUFFIX = /(?:人民政府办公室|人民政府|办事处|街道|政府办公室|办公室|局|委员会|委|镇|乡|街|区|县|市|管委会|中心|办|厅|院|署|所|站|队)$/;
const GENERIC_OFFICE = /^(?:我|本|区|县|市|镇|乡)(?:局|办|委|单位|机关|政府|政府办公室|政府政务服务办|中心)?$|^(?:区|县|市)政府/;

export interface ReportMeta {
  readonly title: string | null;
  readonly office: string | null;
  readonly year: number | null;
  /** 0-based line of the title, if found. */
  readonly titleLine: number | null;
  readonly publishedAt: string | null;
  readonly contact: string | null;
}

function cleanOffice(name: string): string | null {
  const office = name
    .replace(/^.*?(?:标题|题目)\s*[:：]\s*/, '')
    // Breadcrumbs and site navigation before the title: 首页 > 政务公开 > 年报 > 平潭综合实验区
    .replace(/^.*(?:[>》»]|当前位置\s*[:：]|您的位置\s*[:：]|所在位置\s*[:：])/, '')
    .replace(/[\s|]+/g, '')
    .replace(/^[>》\]】)]+/, '')
    .trim();
  if (office.length < 2 || office.length > 40 || GENERIC_OFFICE.test(office)) return null;
  return office;
}

const TITLE = /(\d{4})\s*年(?:度)?\s*(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?(?:报告|年报)/;

function findTitle(lines: readonly string[]): { line: number; title: string; office: string | null; year: number } | null {
  const limit = Math.min(lines.length, 40);
  for (let i = 0; i < limit; i++) {
    // A title line is short and not a sentence of the body (「…年度报告(以下简称年报)根据…」).
    if (lines[i]!.length > 200) continue;
    const raw = lines[i]!.replace(/[|]/g, ' ').trim();
    if (raw === '' || raw.length > 80 || /以下简称|根据|按照/.test(raw)) continue;
    let text = raw.replace(/^.*?(?:标题|题目)\s*[:：]\s*/, '');
    // A title broken over lines: 「威海市环翠区鲸园街道办事处2020年」 + 「政府信息公开工作年度报告」.
    const nextLines = lines.slice(i + 1, i + 4).map((l) => l.trim()).filter((l) => l !== '');
    if (/\d{4}\s*年(?:度)?$/.test(text) && nextLines[0] && /^(?:政府)?信息公开/.test(nextLines[0])) text += nextLines[0];
    const m = TITLE.exec(text);
    if (!m) continue;
    let office = text.slice(0, m.index).trim();
    // 「得荣县卫生健康局」 on the line before 「2019年政府信息公开工作年度报告」.
    if (office === '' && i > 0) {
      const previous = lines.slice(Math.max(0, i - 2), i).map((l) => l.trim()).filter((l) => l !== '').pop();
      if (previous && previous.length <= 30 && OFFICE_SUFFIX.test(previous)) office = previous;
    }
    return { line: i, title: text.replace(/\s+/g, ''), office: cleanOffice(office), year: Number(m[1]) };
  }
  return null;
}

/** A fuller name for the same office: 「来源:罗里乡人民政府」 for the title's 罗里乡, or the signature. */
const FULLER_FORM = /^(?:人民政府|政府|街道办事处|办事处|管委会|管理委员会)$/;


function fullerOffice(lines: readonly string[], office: string): string {
  let best = office;
  const candidates: string[] = [];
  for (const line of lines.slice(0, 30)) {
    for (const m of line.matchAll(/(?:来源|发文机关|发布机构|发布单位)\s*[:：]\s*([^\s|:：]{2,40}?)(?=作者|点击|浏览|字体|发布|时间|阅读|访问|[\s|:：]|$)/g)) candidates.push(m[1]!);
  }
  const tail = lines.slice(-12).map((l) => l.trim()).filter((l) => l !== '');
  for (const line of tail) if (line.length <= 30 && OFFICE_SUFFIX.test(line) && !/[\d:：]/.test(line)) candidates.push(line);
  for (const c of candidates) {
    const name = cleanOffice(c);
    // Only the same office named more fully (罗里乡 → 罗里乡人民政府): a crawler's or CMS's
    // 发布机构 is often a department of it (平潭综合实验区管委会办公室), which is another office.
    if (!name || name === best || !name.includes(best)) continue;
    const suffix = name.slice(name.indexOf(best) + best.length);
    if (suffix === '' || FULLER_FORM.test(suffix)) best = name;
  }
  return best;
}

function findYear(lines: readonly string[]): number | null {
  const text = lines.slice(0, 80).join('\n');
  const patterns = [
    /统计(?:期限|时限|期间|区间)?(?:自|从|为)?\s*(\d{4})\s*年\s*1\s*月\s*1\s*日/,
    /(\d{4})\s*年度?(?:本级)?政府信息公开(?:工作)?(?:年度)?(?:报告|情况)/,
    /现将(?:我\S{0,4})?(\d{4})\s*年度?/,
    /(\d{4})\s*年\s*[,，]?\s*(?:我|全)/,
    /截[止至]\s*(\d{4})\s*年\s*12\s*月\s*31\s*日/,
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) {
      const year = Number(m[1]);
      if (year >= 2007 && year <= 2100) return year;
    }
  }
  // Else the year the body talks about most.
  const counts = new Map<number, number>();
  for (const m of text.matchAll(/(20\d{2})\s*年/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  return top ? top[0] : null;
}

function findPublishedAt(lines: readonly string[]): string | null {
  const text = lines.slice(0, 30).join('\n');
  const m = /(?:发布(?:日期|时间)|发文时间|成文日期|时间)\s*[:：]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/.exec(text);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/**
 * 「请与…联系，电话…」: a sentence (at most 500 characters) from a contact cue that names a phone or
 * address and a number. Scanned cue by cue, each within its bounded sentence, so that text made
 * of thousands of cues stays linear.
 */
const MAX_CONTACT_CUES = 200;

function findContact(lines: readonly string[]): string | null {
  let tried = 0;
  for (const line of lines) {
    if (!line.includes('联系') && !line.includes('请与')) continue;
    let stop = -1;
    for (const cue of line.matchAll(/请与|联系(?:人|单位|方式)?[:：]/g)) {
      // The next 。 is looked up again only once passed: one scan of the line in all.
      if (stop < cue.index) {
        const at = line.indexOf('。', cue.index);
        stop = at < 0 ? line.length : at;
      }
      // A report names its contact once or twice; thousands of cues are debris.
      if (++tried > MAX_CONTACT_CUES) return null;
      const sentence = line.slice(cue.index, Math.min(stop, cue.index + 500));
      const named = sentence.search(/电话|地址/);
      if (named < 0 || !/\d{3,4}[-—–]?\d{6,8}|\d{11}/.test(sentence.slice(named))) continue;
      return sentence.replace(/^请与/, '').replace(/联系[(（]/, '（').trim();
    }
  }
  return null;
}

export function readMeta(lines: readonly string[]): ReportMeta {
  const title = findTitle(lines);
  const office = title?.office ? fullerOffice(lines, title.office) : null;
  return {
    title: title?.title ?? null,
    office,
    year: title?.year ?? findYear(lines),
    titleLine: title?.line ?? null,
    publishedAt: findPublishedAt(lines),
    contact: findContact(lines),
  };
}
