/**
 * Model cards from the Hugging Face Hub. What this relies on, from the Hub's API docs
 * (huggingface.co/docs/hub/api, "GET /api/models"): the listing takes `filter` (a tag; cards with
 * a co2_eq_emissions block carry the tag `co2_eq_emissions`) and `limit`, answers a JSON array of
 * models ({ id, downloads, likes, createdAt, ... }) and pages with a `Link: <...>; rel="next"`
 * header. A card is the repository's README.md, served raw at {endpoint}/{id}/raw/main/README.md.
 * The listing's figures are checked like any payload: a model id must look like OWNER/NAME and
 * numbers must be finite and non-negative, or they are left out.
 */
import { FieldError } from '../../core/field-error';
import { CardFile, MAX_CARD_BYTES } from './card-source';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';
/** Per request: a Hub that does not answer in this time is unreachable, not slow. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The Hub serves at most 1,000 models per listing page. */
const PAGE_SIZE = 1000;
/** README requests in flight at once: quick over the network, gentle on the Hub. */
const CONCURRENCY = 8;

/** The Hub could not be reached or answered the listing with an error: the run cannot go on. */
export class HubError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubError';
  }
}

export interface HubOptions {
  /** Base URL; default HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  /** Most models read (default 1,000). */
  limit?: number;
  timeoutMs?: number;
}

/** The endpoint as a base URL without a trailing slash; http(s) only. */
export function hubEndpoint(given?: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = given ?? env.HF_ENDPOINT ?? DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FieldError('endpoint', `${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FieldError('endpoint', `must be an http(s) URL, got ${url.protocol}`);
  }
  return url.href.replace(/\/+$/, '');
}

/** A Hub model id: NAME or OWNER/NAME, letters, digits, '-', '_', '.'; never '.' or '..'. */
const MODEL_ID = /^(?:[\w.-]+\/)?[\w.-]+$/;
function isModelId(id: unknown): id is string {
  return (
    typeof id === 'string' &&
    id.length <= 200 &&
    MODEL_ID.test(id) &&
    !id.split('/').some(part => part === '.' || part === '..')
  );
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

async function get(url: string, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (e) {
    const error = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (error.cause?.code ?? error.cause?.message ?? error.message);
    throw new HubError(`cannot reach ${new URL(url).origin}: ${why}`);
  }
}

/** The `rel="next"` URL of a Link header, when it stays on the endpoint's origin. */
function nextPage(link: string | null, origin: string): string | undefined {
  const match = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/);
  if (!match) return undefined;
  try {
    const url = new URL(match[1], origin);
    return url.origin === origin ? url.href : undefined;
  } catch {
    return undefined;
  }
}

type Listed = Omit<CardFile, 'readme'>;

/** Up to `limit` models of the listing, ids checked; a bad id is a card that cannot be read. */
async function listModels(
  endpoint: string,
  limit: number,
  timeoutMs: number
): Promise<Array<Listed & { badId?: string }>> {
  const origin = new URL(endpoint).origin;
  const params = new URLSearchParams({
    filter: 'co2_eq_emissions',
    limit: String(Math.min(limit, PAGE_SIZE))
  });
  let url: string | undefined = `${endpoint}/api/models?${params}`;
  const models: Array<Listed & { badId?: string }> = [];
  while (url && models.length < limit) {
    const response = await get(url, timeoutMs);
    if (!response.ok) {
      throw new HubError(`the model listing ${url} answered HTTP ${response.status}`);
    }
    let page: unknown;
    try {
      page = await response.json();
    } catch {
      throw new HubError(`the model listing ${url} is not JSON`);
    }
    if (!Array.isArray(page)) throw new HubError(`the model listing ${url} is not a list`);
    for (const item of page.slice(0, limit - models.length)) {
      const model = (item ?? {}) as Record<string, unknown>;
      const id = model.id ?? model.modelId;
      if (!isModelId(id)) {
        models.push({ modelId: String(id).slice(0, 80), badId: 'the listing gives no valid id' });
        continue;
      }
      const created =
        typeof model.createdAt === 'string' && /^\d{4}-\d\d-\d\d/.test(model.createdAt)
          ? model.createdAt.slice(0, 10)
          : undefined;
      models.push({
        modelId: id,
        downloads: count(model.downloads),
        likes: count(model.likes),
        createdAt: created
      });
    }
    url = page.length > 0 ? nextPage(response.headers.get('link'), origin) : undefined;
  }
  return models;
}

/**
 * One model's README, or why it could not be read: a card that is not served, too large, slow or
 * cut off is a card listed as unreadable, never the end of the run. The body is read in chunks
 * and abandoned past MAX_CARD_BYTES, so a hostile server cannot make the miner hold it whole.
 */
async function fetchCard(
  endpoint: string,
  model: Listed,
  timeoutMs: number
): Promise<CardFile['readme']> {
  const path = model.modelId.split('/').map(encodeURIComponent).join('/');
  try {
    const response = await get(`${endpoint}/${path}/raw/main/README.md`, timeoutMs);
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return { error: `README.md not served (HTTP ${response.status})` };
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > MAX_CARD_BYTES) {
        await reader.cancel();
        return { error: 'README.md is larger than 4 MiB' };
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    const error = e as Error;
    return {
      error: `README.md could not be read: ${error.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : error.message}`
    };
  }
}

/** Cards of the models the Hub lists as reporting co2_eq_emissions, in the listing's order. */
export async function* hubCards(options: HubOptions = {}): AsyncGenerator<CardFile> {
  const endpoint = hubEndpoint(options.endpoint);
  const limit = options.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new FieldError('limit', `must be a whole number >= 1, got ${limit}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const models = await listModels(endpoint, limit, timeoutMs);
  // A window of requests in flight, yielded in order.
  const pending: Array<Promise<CardFile>> = [];
  const start = (model: Listed & { badId?: string }): Promise<CardFile> => {
    const { badId, ...listed } = model;
    if (badId) return Promise.resolve({ ...listed, readme: { error: badId } });
    const card = fetchCard(endpoint, listed, timeoutMs).then(readme => ({ ...listed, readme }));
    // Awaited in turn below; until then a failure must not count as unhandled.
    card.catch(() => undefined);
    return card;
  };
  let next = 0;
  while (next < models.length && pending.length < CONCURRENCY) pending.push(start(models[next++]));
  while (pending.length > 0) {
    const card = await pending.shift()!;
    if (next < models.length) pending.push(start(models[next++]));
    yield card;
  }
}
