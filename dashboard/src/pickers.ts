/** District (office tree, searchable), year and metric pickers. */
import { h } from './dom';
import type { OfficeTreeQuery } from './generated/graphql';
import { TABLE_LABELS, TABLE_ORDER, type MetricDefinition, type ReportingYear } from './vocabulary';

export type OfficeNode = OfficeTreeQuery['offices']['edges'][number]['node'];

/** One collator for every comparison: `localeCompare` with a locale builds one per call, which a province's tree (thousands of names) pays for on the main thread. */
const byName = new Intl.Collator('zh-CN', { numeric: true });

/** Offices in tree order (each parent followed by its subtree), with their depth. */
export function treeOrder(offices: readonly OfficeNode[]): OfficeNode[] {
  const children = new Map<string | null, OfficeNode[]>();
  for (const office of offices) {
    const parent = office.parent?.code ?? null;
    const siblings = children.get(parent);
    if (siblings) siblings.push(office);
    else children.set(parent, [office]);
  }
  const known = new Set(offices.map((o) => o.code));
  const out: OfficeNode[] = [];
  const visit = (office: OfficeNode) => {
    out.push(office);
    for (const child of (children.get(office.code) ?? []).sort((a, b) => byName.compare(a.name, b.name))) visit(child);
  };
  for (const root of offices.filter((o) => !o.parent || !known.has(o.parent.code))) visit(root);
  return out;
}

export interface DistrictPicker {
  readonly element: HTMLElement;
  /** Shows `code` as chosen (a drill-down or a breadcrumb chose it, not the list). */
  select(code: string): void;
  /** The offices to list, once the whole tree has arrived. */
  update(offices: readonly OfficeNode[]): void;
}

export function districtPicker(offices: readonly OfficeNode[], selected: string, onPick: (code: string) => void): DistrictPicker {
  let ordered = treeOrder(offices);
  let byCode = new Map(ordered.map((o) => [o.code, o]));
  const button = h('button', { type: 'button', class: 'picker-button', 'data-testid': 'district-picker', 'aria-haspopup': 'listbox' });
  const search = h('input', { type: 'search', placeholder: '搜索机关名称或编码 / Search offices', 'data-testid': 'district-search', 'aria-label': '搜索机关 / Search offices' });
  const list = h('ul', { role: 'listbox', class: 'tree', 'data-testid': 'district-options' });
  const popover = h('div', { class: 'popover', hidden: true }, search, list);
  const setLabel = (code: string) => {
    button.textContent = `${byCode.get(code)?.name ?? code} ▾`;
  };
  setLabel(selected);

  const render = () => {
    const term = search.value.trim().toLowerCase();
    // A match keeps its ancestors visible, so the tree still reads as a tree.
    const visible = new Set<string>();
    for (const office of ordered) {
      if (term === '' || office.name.toLowerCase().includes(term) || office.code.toLowerCase().includes(term)) {
        let node: OfficeNode | undefined = office;
        while (node && !visible.has(node.code)) {
          visible.add(node.code);
          node = node.parent ? byCode.get(node.parent.code) : undefined;
        }
      }
    }
    list.replaceChildren(
      ...ordered
        .filter((o) => visible.has(o.code))
        .map((o) => {
          const item = h('li', { role: 'option', 'data-code': o.code, 'aria-selected': String(o.code === selected), style: `padding-left:${0.5 + o.depth * 1.2}rem` }, o.name);
          item.addEventListener('click', () => {
            selected = o.code;
            setLabel(o.code);
            popover.hidden = true;
            onPick(o.code);
          });
          return item;
        }),
    );
    if (list.childElementCount === 0) list.append(h('li', { class: 'none' }, '没有匹配的机关 / No office matches'));
  };
  search.addEventListener('input', render);
  button.addEventListener('click', () => {
    popover.hidden = !popover.hidden;
    if (!popover.hidden) {
      render();
      search.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (!wrapper.contains(event.target as Node)) popover.hidden = true;
  });
  const wrapper = h('div', { class: 'picker' }, h('label', {}, '地区 / District'), button, popover);
  return {
    element: wrapper,
    select(code) {
      selected = code;
      setLabel(code);
    },
    update(next) {
      ordered = treeOrder(next);
      byCode = new Map(ordered.map((o) => [o.code, o]));
      if (!popover.hidden) render();
    },
  };
}

export function yearPicker(years: readonly ReportingYear[], selected: number, onPick: (year: number) => void): HTMLElement {
  const select = h(
    'select',
    { 'data-testid': 'year-picker', 'aria-label': '年度 / Year' },
    [...years].sort((a, b) => b.year - a.year).map((y) => h('option', { value: String(y.year), selected: y.year === selected }, `${y.year}年`)),
  );
  select.addEventListener('change', () => onPick(Number(select.value)));
  return h('div', { class: 'picker' }, h('label', {}, '年度 / Year'), select);
}

export function metricPicker(definitions: readonly MetricDefinition[], selected: string, onPick: (key: string) => void): HTMLElement {
  const select = h(
    'select',
    { 'data-testid': 'metric-picker', 'aria-label': '指标 / Metric' },
    TABLE_ORDER.map((table) =>
      h(
        'optgroup',
        { label: TABLE_LABELS[table] },
        definitions.filter((d) => d.table === table).map((d) => h('option', { value: d.key, selected: d.key === selected, title: d.labelEn }, d.label)),
      ),
    ),
  );
  select.addEventListener('change', () => onPick(select.value));
  return h('div', { class: 'picker metric' }, h('label', {}, '指标 / Metric'), select);
}
