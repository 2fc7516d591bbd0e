/** A message that does not match the protocol; `field` names what was wrong. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The peer speaks a newer protocol major than this package understands. */
export class ProtocolVersionError extends ProtocolError {
  override name = 'ProtocolVersionError';
  constructor(
    readonly theirs: { major: number; minor: number },
    readonly ours: { major: number; minor: number },
  ) {
    super(
      `The Spyglass kernel package speaks protocol ${theirs.major}.${theirs.minor}, ` +
        `but this JupyterLab extension understands ${ours.major}.x. ` +
        'Upgrade the extension (pip install -U spyglass) and reload the page.',
      'protocol',
    );
  }
}
