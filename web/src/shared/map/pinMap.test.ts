import { describe, expect, it } from 'vitest';
import { buildPinMap } from './pinMap';

describe('buildPinMap', () => {
  it('draws the outlines (roaming), the pin and the points, and highlights regions', () => {
    const option = buildPinMap({ map: 'city', pin: [106.8, 39.67], points: [{ at: [106.81, 39.68], name: 'GL1' }], highlight: ['和平社区'] });
    expect(option.geo).toMatchObject({ map: 'city', roam: true });
    expect(option.geo.regions).toEqual([{ name: '和平社区', itemStyle: { areaColor: '#d6e9ff', borderColor: '#1677ff', borderWidth: 2 } }]);
    const [points, pin] = option.series;
    expect(pin.data).toEqual([{ name: 'pin', value: [106.8, 39.67] }]);
    expect(points.data).toEqual([{ name: 'GL1', value: [106.81, 39.68] }]);
    expect(buildPinMap({ map: 'city', pin: null }).series[1].data).toEqual([]);
  });
});
