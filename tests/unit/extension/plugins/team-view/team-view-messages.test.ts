// The kernel's team view is checked before anything is shown: the schema (compiled at build time)
// and the numbers again.
import {
  fetchMessage,
  parseTeamView
} from '../../../../../extension/plugins/team-view/team-view-messages';
import { sampleTeamView } from '../../fixtures/team-view';

describe('parseTeamView', () => {
  it('takes a view that holds to the schema', () => {
    expect(parseTeamView(sampleTeamView())).toEqual({ view: sampleTeamView() });
  });

  it.each([
    [
      'an unknown status',
      { status: 'great' },
      '/status: must be equal to one of the allowed values (ok, unconfigured, unreachable)'
    ],
    [
      'a field not in the schema',
      { html: '<b>' },
      '(root): must NOT have additional properties (html)'
    ],
    ['an energy that is not finite', { fetchedAt: Infinity }, '/fetchedAt: must be number']
  ])('refuses %s, saying where', (_, change, error) => {
    const parsed = parseTeamView({ ...sampleTeamView(), ...change });
    expect(parsed).toEqual({ errors: expect.arrayContaining([error]) });
  });

  it('refuses a user that is not text and a negative total', () => {
    const view = sampleTeamView();
    (view.measurements[0] as unknown as { user: number }).user = 1;
    expect('errors' in parseTeamView(view)).toBe(true);
    const negative = sampleTeamView();
    negative.totals.perNotebook[1].co2eG = -0.1;
    expect('errors' in parseTeamView(negative)).toBe(true);
  });

  it('asks with protocol 1', () => {
    expect(fetchMessage()).toEqual({ type: 'fetch', protocol: 1 });
  });
});
