/**
 * What a team server says when it fails, as a warning quotes it: only its first few kilobytes are
 * read (an error page may be any size), and control characters become spaces, because the
 * warnings reach a terminal, which would obey an escape sequence a server put in its answer.
 */

/** Bytes of an error answer read at most. */
export const SERVER_TEXT_BYTES = 4096;

/** The start of a response's body, at most `maxBytes` of it; the rest is not read. */
export async function readServerText(
  response: Response,
  maxBytes = SERVER_TEXT_BYTES
): Promise<string> {
  return (await readStart(response, maxBytes)).text;
}

/** A whole answer of at most `maxBytes`; a longer one throws once that much is read. */
export async function readCappedText(response: Response, maxBytes: number): Promise<string> {
  const { text, cut } = await readStart(response, maxBytes);
  if (cut) throw new Error(`the server's answer is over ${maxBytes} bytes`);
  return text;
}

async function readStart(
  response: Response,
  maxBytes: number
): Promise<{ text: string; cut: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: '', cut: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return {
    text: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'),
    cut: size > maxBytes
  };
}

/** The text with C0 and C1 control characters (escape, line feed...) made spaces. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}
