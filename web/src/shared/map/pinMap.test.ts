import { describe, expect, it } from 'vitest';
import { buildPinMap } from './pinMap';

describe('buildPinMap', () => {
  it('draws the outlines, the pin and the points, and zooms in on the pin only when asked', () => {
    const option = buildPinMap({ map: 'city', pin: [106.8, 39.67], points: [{ at: [106.81, 39.68], name: 'GL1' }], highlight: ['和平社区'], focus: true });
    expect(option.geo).toMatchObject({ map: 'city', roam: true, center: [106.8, 39.67], zoom: 6 });
    expect(option.geo.regions).toEqual([{ name: '和平社区', itemStyle: { areaColor: '#d6e9ff', borderColor: '#1677ff', borderWidth: 2 } }]);
    const [points, pin] = option.series;
    expect(pin.data).toEqual([{ name: 'pin', value: [106.8, 39.67] }]);
    expect(points.data).toEqual([{ name: 'GL1', value: [106.81, 39.68] }]);
    const unfocused = buildPinMap({ map: 'city', pin: [106.8, 39.67] });
    expect(unfocused.geo).not.toHaveProperty('center');
    expect(buildPinMap({ map: 'city', pin: null, focus: true }).series[1].data).toEqual([]);
  });
});
