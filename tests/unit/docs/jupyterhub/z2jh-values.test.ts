// The Zero to JupyterHub values in docs/ parse, and give every user's server the single-user image
// and the team variables the kernel reads (the chart's own keys, as the docs promise).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ENV_VARIABLES } from '../../../../kernel/measure/settings';

const values = parse(
  readFileSync(join(__dirname, '../../../../docs/jupyterhub/z2jh-values.yaml'), 'utf8')
) as {
  singleuser: {
    image: { name: string; tag: string };
    defaultUrl: string;
    extraEnv: Record<string, string | { valueFrom: unknown }>;
  };
  hub: { allowNamedServers: boolean };
};

/** The settings a team's hub sets for everyone: MLflow's and the Pushgateway's. */
const TEAM_VARIABLES = ENV_VARIABLES.filter(name => /MLFLOW|PUSHGATEWAY/.test(name));

describe('docs/jupyterhub/z2jh-values.yaml', () => {
  it('names a single-user image and opens JupyterLab', () => {
    expect(values.singleuser.image.name).toMatch(/\S/);
    expect(String(values.singleuser.image.tag)).toMatch(/\S/);
    expect(values.singleuser.defaultUrl).toBe('/lab');
  });

  it('sets every team variable the kernel reads, the addresses as http(s) URLs', () => {
    expect(TEAM_VARIABLES).toEqual(
      expect.arrayContaining([
        'MLFLOW_TRACKING_URI',
        'GAISSA_MLFLOW_EXPERIMENT',
        'GAISSA_PUSHGATEWAY_URL'
      ])
    );
    const env = values.singleuser.extraEnv;
    for (const name of TEAM_VARIABLES) expect(env).toHaveProperty(name);
    for (const name of ['MLFLOW_TRACKING_URI', 'GAISSA_PUSHGATEWAY_URL']) {
      expect(new URL(env[name] as string).protocol).toMatch(/^https?:$/);
    }
    // A credential comes from a Secret, never written in the file.
    expect(env.MLFLOW_TRACKING_TOKEN).toEqual({
      valueFrom: { secretKeyRef: expect.objectContaining({ name: expect.any(String) }) }
    });
  });

  it('allows named servers, which records tell apart', () => {
    expect(values.hub.allowNamedServers).toBe(true);
  });
});
