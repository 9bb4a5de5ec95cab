/** The analyst's selection, kept in the URL hash so a view can be bookmarked and shared. */
export interface Selection {
  district: string;
  year: number;
  metric: string;
  /** The office (or district, when equal to `district`) whose trend is shown. */
  trend: string;
}

/** Read from the hash only: a link to one stored report, e.g. from the Import page. */
export interface ReportLink {
  report: string;
}

export function readSelection(): Partial<Selection & ReportLink> {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const year = Number(params.get('year'));
  return {
    district: params.get('district') ?? undefined,
    year: Number.isInteger(year) && year > 0 ? year : undefined,
    metric: params.get('metric') ?? undefined,
    trend: params.get('trend') ?? undefined,
    report: params.get('report') ?? undefined,
  };
}

export function writeSelection(selection: Selection): void {
  const params = new URLSearchParams({ district: selection.district, year: String(selection.year), metric: selection.metric, trend: selection.trend });
  history.replaceState(null, '', `#${params.toString()}`);
}
