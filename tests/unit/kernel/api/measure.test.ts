/** gaissa.config, with the kernel's measurement session in a temporary folder. */
import { config } from '../../../../kernel/api/measure';
import { inTemporarySessionFolder } from '../../fixtures/measure-session';

inTemporarySessionFolder('gaissa-config-');

describe('gaissa.config', () => {
  it('gives the team servers without their user and password', () => {
    config.set('mlflowTrackingUri', 'https://ann:s3cret@mlflow.example/team');
    const view = config.get();
    expect(view.settings.mlflowTrackingUri).toBe('https://mlflow.example/team');
    expect(view.sources.mlflowTrackingUri).toBe('session');
  });
});
