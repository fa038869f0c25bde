/** lazyModule: one load, the module kept for synchronous use, a failed load tried again. */
import { lazyModule } from '../../../../extension/shared/lazy-module';

describe('lazyModule', () => {
  it('loads once and keeps the module once loaded', async () => {
    const module = { name: 'view' };
    const importer = jest.fn(async () => module);
    const load = lazyModule(importer);
    expect(load.loaded).toBeNull();
    const first = load();
    const second = load();
    expect(load.loaded).toBeNull(); // not before the import has settled
    expect(await first).toBe(module);
    expect(await second).toBe(module);
    expect(load.loaded).toBe(module);
    await load();
    expect(importer).toHaveBeenCalledTimes(1);
  });

  it('tries again after a failed load', async () => {
    const module = { name: 'chart' };
    const importer = jest
      .fn<Promise<typeof module>, []>()
      .mockRejectedValueOnce(new Error('chunk load failed'))
      .mockResolvedValueOnce(module);
    const load = lazyModule(importer);
    await expect(load()).rejects.toThrow('chunk load failed');
    expect(load.loaded).toBeNull();
    expect(await load()).toBe(module);
    expect(load.loaded).toBe(module);
    expect(importer).toHaveBeenCalledTimes(2);
  });
});
