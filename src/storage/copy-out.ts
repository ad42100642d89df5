import type pg from 'pg';

/**
 * The size of the last COPY's bytes: the next one (a verify's pages are alike) starts there, so
 * its buffer is not grown and copied over again on the way (a county page is about 600 KB; it
 * started at 256 KB and was copied twice as it grew). Kept between 64 KB and 16 MB.
 */
let lastLength = 256 * 1024;

/**
 * `COPY (…) TO STDOUT` on a pg client, its bytes gathered into one buffer (issue 20: the
 * whole-log verify reads its pages as binary tuples, so that no row object, no string per
 * column and no copy of the hashed text as a JavaScript string is made). A Submittable: the
 * client hands it the connection and the messages of its turn; pg has no COPY of its own.
 */
class CopyOut implements pg.Submittable {
  private bytes = Buffer.allocUnsafe(Math.ceil(lastLength * 1.125));
  private length = 0;
  private failure: Error | null = null;

  constructor(
    private readonly text: string,
    private readonly done: (error: Error | null, bytes: Buffer) => void,
  ) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  /** The chunk is a view of the parser's buffer, reused for the next message: copied at once. */
  handleCopyData(message: { chunk: Buffer }): void {
    const chunk = message.chunk;
    if (this.length + chunk.length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + chunk.length));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    // TypedArray's set: a row's few hundred bytes cost less than through Buffer's copy.
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }

  handleCommandComplete(): void {}

  handleError(error: Error): void {
    // The client forgets the query once the server reports an error: no readyForQuery comes here.
    this.failure ??= error;
    this.done(this.failure, Buffer.alloc(0));
  }

  handleReadyForQuery(): void {
    if (this.failure) return;
    lastLength = Math.min(16 * 1024 * 1024, Math.max(64 * 1024, this.length));
    this.done(null, this.bytes.subarray(0, this.length));
  }

  // A COPY has none of these; pg calls them only for other statements sent in the same text.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: pg.Connection & { sendCopyFail?: (reason: string) => void }): void {
    connection.sendCopyFail?.('no COPY FROM here');
  }
}

/** The bytes a `COPY (…) TO STDOUT` sends (its rows, in the format it names), on `client`. */
export function copyOut(client: pg.ClientBase, text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const query = new CopyOut(text, (error, bytes) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(bytes);
    });
    client.query(query);
  });
}
