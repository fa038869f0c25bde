/**
 * A team server's address as users write it, `https://user:secret@host/path/`: fetch refuses a URL
 * that carries credentials, so they become a Basic authorization header, and the address is
 * shown without them (the status and warnings name the server; they must not show its password).
 */
export function serverUrl(address: string): { base: string; authorization: string | null } {
  const url = new URL(address);
  const authorization =
    url.username || url.password
      ? `Basic ${Buffer.from(`${decoded(url.username)}:${decoded(url.password)}`).toString('base64')}`
      : null;
  url.username = '';
  url.password = '';
  return { base: url.toString().replace(/\/+$/, ''), authorization };
}

/** A URL's user or password as typed: `50%off` is not percent-encoding, and is kept as it is. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
