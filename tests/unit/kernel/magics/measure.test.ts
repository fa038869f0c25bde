/** `%gaissa config` through the registry, with the kernel's measurement session in a temporary folder. */
import { measureMagics } from '../../../../kernel/magics/measure';
import { measureSession } from '../../../../kernel/measure/current';
import { inTemporarySessionFolder, runLineMagics } from '../../fixtures/measure-session';

inTemporarySessionFolder('gaissa-config-');
const magic = (line: string) => runLineMagics(measureMagics, line);

describe('%gaissa config', () => {
  it('shows the team servers without their user and password, and keeps them for delivery', async () => {
    await magic('%gaissa config set pushgatewayUrl https://ann:s3cret@pgw.example/');
    const text = await magic('%gaissa config set mlflowTrackingUri http://bob:50%off@mlflow:5000');
    expect(text).toContain('mlflowTrackingUri       http://mlflow:5000/   [session]');
    expect(text).toContain('pushgatewayUrl          https://pgw.example/   [session]');
    expect(text).not.toMatch(/s3cret|50%off|ann|bob/);
    expect(measureSession().settings.current.pushgatewayUrl).toBe(
      'https://ann:s3cret@pgw.example/'
    );
  });
});
