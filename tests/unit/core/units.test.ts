import {
  joulesToKWh,
  kWhToJoules,
  microjoulesToJoules,
  millijoulesToJoules
} from '../../../core/units';

describe('units', () => {
  it('converts joules and kWh', () => {
    expect(kWhToJoules(1)).toBe(3.6e6);
    expect(joulesToKWh(7.2e6)).toBe(2);
    expect(microjoulesToJoules(2_500_000)).toBe(2.5);
    expect(millijoulesToJoules(1500)).toBe(1.5);
  });
});
