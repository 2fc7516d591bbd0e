/** Base class of every error the report runtime throws. */
export class ReportError extends Error {
  override name = 'ReportError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The embedded data is missing, of another format version, or cannot be decoded. */
export class ReportDataError extends ReportError {
  override name = 'ReportDataError';
}
