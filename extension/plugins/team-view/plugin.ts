/**
 * The team-view plugin: the command (also in the palette) that opens the team view in the main
 * area. Its code is fetched, and the view built, on first use; closing the view closes its comm
 * and shuts down the kernel it started, if it started one.
 */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { KERNEL_NAME } from '../../../core/mime-types';
import { lazyModule } from '../../shared/lazy-module';
import { CommandIDs } from '../../tokens';
import type { TeamViewPanel } from './team-view-panel';

const loadPanel = lazyModule(() => import('./team-view-panel'));

export const teamViewPlugin: JupyterFrontEndPlugin<void> = {
  id: 'gaissa-jupyterlab:team-view',
  description: 'A view of the team’s measurements and labels, read from its MLflow server.',
  autoStart: true,
  optional: [INotebookTracker, ICommandPalette],
  activate: (app, tracker: INotebookTracker | null, palette: ICommandPalette | null) => {
    let panel: TeamViewPanel | null = null;

    app.commands.addCommand(CommandIDs.showTeamView, {
      label: 'GAISSA: Show team view',
      caption: 'The team’s energy measurements and labels, per user and per notebook, from MLflow',
      execute: async () => {
        let module: Awaited<ReturnType<typeof loadPanel>>;
        try {
          module = await loadPanel();
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          Notification.error(`The GAISSA team view could not be loaded (${reason}).`, {
            autoClose: 8000
          });
          return;
        }
        if (!panel) {
          const created = new module.TeamViewPanel(() => void source.refresh());
          const source = new module.TeamViewSource(
            {
              active: () => {
                const kernel = tracker?.currentWidget?.sessionContext.session?.kernel ?? null;
                return kernel?.name === KERNEL_NAME ? kernel : null;
              },
              start: () => app.serviceManager.kernels.startNew({ name: KERNEL_NAME }),
              shutdown: kernel => (kernel as unknown as { shutdown(): Promise<void> }).shutdown()
            },
            state => created.setState(state)
          );
          created.disposed.connect(() => {
            source.dispose();
            panel = null;
          });
          app.shell.add(created, 'main');
          panel = created;
          void source.refresh();
        }
        app.shell.activateById(panel.id);
      }
    });
    palette?.addItem({ command: CommandIDs.showTeamView, category: 'GAISSA' });
  }
};
