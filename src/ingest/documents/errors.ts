/** The typed error every reader throws: names the file and the reason, and what to do where there is something to do. */
export type DocumentErrorCode = 'UNSUPPORTED_FORMAT' | 'CORRUPT' | 'ENCRYPTED' | 'TOO_LARGE' | 'TOOL_MISSING' | 'TIMEOUT' | 'NO_TEXT';

export class DocumentError extends Error {
  constructor(
    readonly code: DocumentErrorCode,
    readonly filename: string,
    message: string,
  ) {
    super(`${filename}: ${message}`);
    this.name = 'DocumentError';
  }
}
