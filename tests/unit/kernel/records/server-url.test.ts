import { serverUrl, withoutCredentials } from '../../../../kernel/records/server-url';

describe('serverUrl', () => {
  it('turns credentials in the address into a Basic header and shows the address without them', () => {
    expect(serverUrl('https://ann:s%3Acret@mlflow.example/team/')).toEqual({
      base: 'https://mlflow.example/team',
      authorization: `Basic ${Buffer.from('ann:s:cret').toString('base64')}`
    });
  });

  it('leaves an address without credentials as it is, but its trailing slashes', () => {
    expect(serverUrl('http://127.0.0.1:9091//')).toEqual({
      base: 'http://127.0.0.1:9091',
      authorization: null
    });
  });

  it('keeps a password with a literal % as typed (it is not percent-encoding)', () => {
    expect(serverUrl('https://bob:50%off@mlflow:5000')).toEqual({
      base: 'https://mlflow:5000',
      authorization: `Basic ${Buffer.from('bob:50%off').toString('base64')}`
    });
  });
});

describe('withoutCredentials', () => {
  it('blanks the user and password of an address, whatever its scheme', () => {
    expect(withoutCredentials('https://bob:50%off@mlflow:5000/')).toBe('https://mlflow:5000/');
    expect(withoutCredentials('postgresql://u:pw@db/mlflow')).toBe('postgresql://db/mlflow');
  });

  it('leaves an address without credentials as typed, and strips them from one no parser takes', () => {
    expect(withoutCredentials('http://m:5000')).toBe('http://m:5000');
    expect(withoutCredentials('databricks')).toBe('databricks');
    expect(withoutCredentials('http://u:pw@[bad/x')).toBe('http://[bad/x');
  });
});
