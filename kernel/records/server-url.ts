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
  return { base: blanked(url).toString().replace(/\/+$/, ''), authorization };
}

/**
 * An address as shown (settings, warnings): its user and password blanked. Text no URL parser
 * takes is shown as it is, but for a `scheme://user:secret@` start.
 */
export function withoutCredentials(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return address.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
  }
  return url.username || url.password ? blanked(url).toString() : address;
}

function blanked(url: URL): URL {
  url.username = '';
  url.password = '';
  return url;
}

/** A URL's user or password as typed: `50%off` is not percent-encoding, and is kept as it is. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
