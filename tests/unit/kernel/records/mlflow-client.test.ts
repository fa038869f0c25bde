// The client's error handling: MLflow's error JSON, a proxy's HTML page, refusals that must not be
// retried, and an experiment another writer creates between our lookup and our create.
import { DeliveryRefused } from '../../../../kernel/records/delivery-queue';
import {
  MLFLOW_ANSWER_BYTES,
  METRIC_HISTORY_PAGE,
  MlflowClient,
  MlflowError
} from '../../../../kernel/records/mlflow-client';
import { fakeFetch } from './fixtures/fake-fetch';

describe('MlflowClient', () => {
  it('reads error_code and message from an error answer; a 5xx is no refusal', async () => {
    const { fetch } = fakeFetch(() => ({
      status: 503,
      body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'later' }
    }));
    const error = await new MlflowClient('http://m', {}, fetch).getRun('r').catch(e => e);
    expect(error).toBeInstanceOf(MlflowError);
    expect(error).not.toBeInstanceOf(DeliveryRefused);
    expect(error.message).toBe('MLflow runs/get: TEMPORARILY_UNAVAILABLE later');
  });

  it("names a proxy's non-JSON answer by its status and start", async () => {
    const { fetch } = fakeFetch(() => ({ status: 401, body: '<html>login</html>' }));
    const error = await new MlflowClient('http://m', {}, fetch).getRun('r').catch(e => e);
    expect(error).toBeInstanceOf(DeliveryRefused);
    expect(error.message).toBe('MLflow runs/get: HTTP_401 <html>login</html>');
  });

  it("quotes an error's message without control characters, and a huge page only in part", async () => {
    const json = fakeFetch(() => ({
      status: 500,
      body: { error_code: 'INTERNAL_ERROR', message: '\u001b[31mboom\u001b[0m' }
    }));
    const error = await new MlflowClient('http://m', {}, json.fetch).getRun('r').catch(e => e);
    expect(error.message).toBe('MLflow runs/get: INTERNAL_ERROR  [31mboom [0m');
    const page = fakeFetch(() => ({ status: 502, body: `<html>${'x'.repeat(100_000)}` }));
    const cut = await new MlflowClient('http://m', {}, page.fetch).getRun('r').catch(e => e);
    expect(cut.message).toBe(`MLflow runs/get: HTTP_502 <html>${'x'.repeat(294)}`);
  });

  it('takes the experiment another writer created meanwhile', async () => {
    let lookups = 0;
    const { fetch, sent } = fakeFetch(r => {
      if (r.url.includes('get-by-name'))
        return ++lookups === 1
          ? { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: '' } }
          : { status: 200, body: { experiment: { experiment_id: '42' } } };
      return { status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'exists' } };
    });
    expect(await new MlflowClient('http://m/', {}, fetch).ensureExperiment('nb.ipynb')).toBe('42');
    expect(sent.map(r => r.url)).toEqual([
      'http://m/api/2.0/mlflow/experiments/get-by-name?experiment_name=nb.ipynb',
      'http://m/api/2.0/mlflow/experiments/create',
      'http://m/api/2.0/mlflow/experiments/get-by-name?experiment_name=nb.ipynb'
    ]);
  });

  it("sends the tracking URI's credentials as Basic auth and keeps them out of its name", async () => {
    const { fetch, sent } = fakeFetch(() => ({ status: 200, body: { run: { info: {} } } }));
    const client = new MlflowClient('https://u:p@m/', {}, fetch);
    await client.getRun('r');
    expect(client.baseUrl).toBe('https://m');
    expect(sent[0].url).toBe('https://m/api/2.0/mlflow/runs/get?run_id=r');
    expect(sent[0].headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('encodes query values (an experiment named after any notebook path)', async () => {
    const { fetch, sent } = fakeFetch(() => ({
      status: 200,
      body: { experiment: { experiment_id: '1' } }
    }));
    await new MlflowClient('http://m', {}, fetch).experimentId('a&b=c #d.ipynb');
    expect(new URL(sent[0].url).searchParams.get('experiment_name')).toBe('a&b=c #d.ipynb');
  });

  it('reads an answer only up to its cap, and stops reading there', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(32);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      }
    });
    const fetchImpl = (async () => new Response(endless, { status: 200 })) as typeof fetch;
    const error = await new MlflowClient('http://m', {}, fetchImpl).getRun('r').catch(e => e);
    expect(error).toBeInstanceOf(MlflowError);
    expect(error.code).toBe('ANSWER_TOO_LARGE');
    expect(pulled).toBeLessThanOrEqual(MLFLOW_ANSWER_BYTES + 4 * chunk.byteLength);
  });

  it('asks for one bounded page of a metric history, and says when there are more', async () => {
    const { fetch, sent } = fakeFetch(() => ({
      status: 200,
      body: { metrics: [{ key: 'k', value: 1, timestamp: 1, step: 1 }], next_page_token: 't' }
    }));
    const page = await new MlflowClient('http://m', {}, fetch).metricHistory('r', 'k');
    expect(page).toEqual({ metrics: [{ key: 'k', value: 1, timestamp: 1, step: 1 }], more: true });
    const asked = Number(new URL(sent[0].url).searchParams.get('max_results'));
    expect(asked).toBe(METRIC_HISTORY_PAGE);
    expect(asked).toBeLessThanOrEqual(10_000);
  });
});
