/**
 * What a page looks like to the layout reader, whatever produced it (a PDF's text layer, Tesseract's
 * word boxes): words with their boxes and the ruling lines drawn on the page. Coordinates run from
 * the page's top-left corner, y downwards, in the producer's units (PDF points, image pixels).
 */
export interface Word {
  readonly text: string;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** An axis-aligned ruling line (a table border), as a segment. */
export interface Ruling {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface PageLayout {
  readonly width: number;
  readonly height: number;
  readonly words: readonly Word[];
  readonly rulings: readonly Ruling[];
}

/** A table cell as rebuilt: its text and how many grid columns and rows it covers. */
export interface TableCell {
  readonly text: string;
  readonly colspan: number;
  readonly rowspan: number;
  /** The grid column the cell starts in. */
  readonly col: number;
}

/** Rows of cells as an HTML table has them: a cell covered by a span of the rows above is absent. */
export interface RebuiltTable {
  readonly columns: number;
  readonly rows: TableCell[][];
  /** Column boundaries on the page, where the table was drawn with borders. */
  readonly xs?: readonly number[];
}

export type Block =
  | { readonly kind: 'line'; readonly text: string; readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number; readonly page: number }
  | { readonly kind: 'table'; readonly table: RebuiltTable; readonly page: number };
