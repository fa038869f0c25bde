/**
 * The JupyterLab renderer of `application/vnd.gaissa.profile.v1+json` (`%%gaissa profile`,
 * `gaissa.profile`). It stays tiny: the view and its compiled validator are a chunk fetched with
 * the first profile.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { LazyRenderer, lazyRendererFactory } from '../../renderers/lazy-renderer';
import { lazyModule, type ChunkLoader } from '../../shared/lazy-module';
import { PROFILE_MIME } from '../../../core/mime-types';

type ViewModule = typeof import('./view');

/** User Timing entry: output arrival to rendered profile. */
export const PROFILE_TIMING = 'gaissa:profile';

export const profileLoader: ChunkLoader<ViewModule> = lazyModule(() => import('./view'));

export class ProfileRenderer extends LazyRenderer<ViewModule> {
  constructor(mimeType: string = PROFILE_MIME, load: ChunkLoader<ViewModule> = profileLoader) {
    super({
      mimeType,
      className: 'gaissa-profile-output',
      load,
      name: 'energy profile',
      timing: { output: PROFILE_TIMING }
    });
  }

  protected build({ renderProfile }: ViewModule, model: IRenderMime.IMimeModel) {
    return { node: renderProfile(model.data[this.options.mimeType]) };
  }
}

export const profileRendererFactory = lazyRendererFactory(
  PROFILE_MIME,
  mimeType => new ProfileRenderer(mimeType)
);
