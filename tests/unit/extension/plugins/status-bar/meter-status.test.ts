/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import { Widget } from '@lumino/widgets';
import { MeterStatus, meterText } from '../../../../../extension/plugins/status-bar/meter-status';
import { power } from '../../fixtures/power-message';

describe('status-bar meter', () => {
  it('shows live power and the session totals, and says "est." in words', () => {
    const open = jest.fn();
    const meter = new MeterStatus(open);
    Widget.attach(meter, document.body);
    meter.setMeterState({ kind: 'live', sample: power });
    expect(meter.node.classList.contains('gaissa-statusbar')).toBe(true);
    expect(meter.isHidden).toBe(false);
    expect(meter.node.dataset.state).toBe('live');
    expect(meter.node.querySelector('.gaissa-statusbar-text')?.textContent).toBe(
      '23.5 W · 1.23 kJ · 200 mg CO2e'
    );
    expect(meter.node.querySelector('.gaissa-statusbar-estimated')?.textContent).toBe('est.');
    expect(meter.node.title).toContain('CPU 20 W');
    expect(meter.node.getAttribute('aria-label')).toBe(meter.node.title);
    expect(meter.node.getAttribute('role')).toBe('button');
    expect(meter.node.tabIndex).toBe(0);
    Widget.detach(meter);
  });

  // A live sample where a GPU counter reads beside an estimated CPU is not plain "measured".
  it('says "partly measured" with the counter share of the live power', () => {
    const mixed = { ...power, gpuW: 60, powerW: 83.5, coverage: 60 / 83.5 };
    const text = meterText({ kind: 'live', sample: mixed });
    expect(text.title).toContain('partly measured (71 % counter), the rest estimated');
    expect(text.estimated).toBe(true);
    const counted = meterText({
      kind: 'live',
      sample: { ...power, method: 'rapl', estimated: false, coverage: 1 }
    });
    expect(counted.title).toContain('measured by the RAPL counters');
    expect(counted.estimated).toBe(false);
  });

  it('is hidden when the active kernel is not a GAISSA kernel', () => {
    const meter = new MeterStatus(jest.fn());
    meter.setMeterState({ kind: 'connecting' });
    expect(meter.isHidden).toBe(false);
    meter.setMeterState(null);
    expect(meter.isHidden).toBe(true);
    expect(meter.node.textContent).toBe('');
  });

  it('says idle, connecting and unavailable plainly', () => {
    expect(meterText({ kind: 'idle', sample: power }).text).toBe('idle · 1.23 kJ · 200 mg CO2e');
    expect(meterText({ kind: 'idle', sample: null }).text).toBe('GAISSA: idle');
    expect(meterText({ kind: 'connecting' }).text).toBe('GAISSA: connecting…');
    expect(meterText({ kind: 'unavailable', reason: 'x' }).text).toBe('GAISSA: no live meter');
    expect(
      meterText({ kind: 'live', sample: { ...power, sessionCost: 0.5, currency: 'EUR' } }).title
    ).toContain('0.5 EUR');
  });

  it('keeps a hostile reason as text', () => {
    const meter = new MeterStatus(jest.fn());
    meter.setMeterState({ kind: 'unavailable', reason: '<img src=x onerror=alert(1)>' });
    expect(meter.node.querySelector('img')).toBeNull();
    expect(meter.node.title).toContain('<img src=x');
  });

  it('opens the measurements panel on click, Enter and Space', () => {
    const open = jest.fn();
    const meter = new MeterStatus(open);
    meter.setMeterState({ kind: 'live', sample: power });
    meter.node.click();
    meter.node.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    meter.node.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' }));
    meter.node.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    expect(open).toHaveBeenCalledTimes(3);
  });
});
