import { userInfo } from 'node:os';
import { attributionOf, kernelIdOf } from '../../../../kernel/records/attribution';

describe('attributionOf', () => {
  it("takes JupyterHub's user and server, the notebook and the kernel's id", () => {
    expect(
      attributionOf(
        {
          JUPYTERHUB_USER: 'ann',
          JUPYTERHUB_SERVER_NAME: 'gpu',
          JPY_SESSION_NAME: 'work/train.ipynb'
        },
        '/run/user/0/jupyter/runtime/kernel-0f9e-11.json'
      )
    ).toEqual({
      user: 'ann',
      server: 'gpu',
      notebook: 'work/train.ipynb',
      kernelId: '0f9e-11',
      instance: '0f9e-11'
    });
  });

  it('falls back to the OS user and names a CLI run by host and pid', () => {
    const who = attributionOf({}, undefined);
    expect(who).toMatchObject({
      user: userInfo().username,
      server: null,
      notebook: null,
      kernelId: null
    });
    expect(who.instance).toMatch(new RegExp(`^cli-.+-${process.pid}$`));
  });

  it('reads the id from a connection file name', () => {
    expect(kernelIdOf('kernel-abc.json')).toBe('abc');
  });
});
