// docs/jupyterhub/jupyterhub_config.py hands on to every user's server each team variable the
// kernel reads. (tests/integration/test_jupyterhub.py starts a real hub with it.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_VARIABLES } from '../../../../kernel/measure/settings';

const config = readFileSync(
  join(__dirname, '../../../../docs/jupyterhub/jupyterhub_config.py'),
  'utf8'
);

/** The names in its TEAM_VARIABLES tuple. */
function teamVariables(): string[] {
  const tuple = /^TEAM_VARIABLES = \(([^)]*)\)/m.exec(config);
  expect(tuple).not.toBeNull();
  return [...tuple![1].matchAll(/"(\w+)"/g)].map(m => m[1]);
}

describe('docs/jupyterhub/jupyterhub_config.py', () => {
  it("passes the kernel's MLflow and Pushgateway variables, and MLflow's credentials", () => {
    const passed = teamVariables();
    for (const name of ENV_VARIABLES.filter(n => /MLFLOW|PUSHGATEWAY/.test(n))) {
      expect(passed).toContain(name);
    }
    expect(passed).toEqual(expect.arrayContaining(['MLFLOW_TRACKING_TOKEN']));
    expect(config).toMatch(/^c\.Spawner\.environment = \{[^}]*TEAM_VARIABLES/m);
  });

  it('opens JupyterLab and allows named servers', () => {
    expect(config).toMatch(/^c\.Spawner\.default_url = "\/lab"$/m);
    expect(config).toMatch(/^c\.JupyterHub\.allow_named_servers = True$/m);
  });
});
