import { describe, expect, it } from 'vitest';
import { buildHeatmapOption, buildMapOption, changeOf, inArea, LIGHT_COLOURS, measureRange } from './charts';

describe('big screen chart builders', () => {
  const areas = [{ code: '150302', name: '海勃湾区', value: 12 }, { code: '150303', name: '海南区', value: 3 }, { code: '150304', name: '乌达区', value: null }];

  it('the map colours every area by code and leaves areas without a value blank', () => {
    const o = buildMapOption({ mapName: 'm', measure: 'open', measureLabel: '在办', areas, pins: [], flashes: [], s: 1, formatValue: String });
    expect(o.series[0].data).toEqual([{ name: '150302', value: 12 }, { name: '150303', value: 3 }, { name: '150304', value: NaN }]);
    expect(o.visualMap.min).toBe(0);
    expect(o.visualMap.max).toBe(12);
    expect(o.geo.map).toBe('m');
    expect(o.geo.nameProperty).toBe('code');
  });

  it('pins take the colour of their light; ripples mark cases that turned red', () => {
    const o = buildMapOption({ mapName: 'm', measure: 'overdue', measureLabel: '', areas, pins: [{ id: 7, number: 'WH1', light: 'red', lon: 106.8, lat: 39.6 }, { id: 8, number: 'WH2', light: 'green', lon: 106.9, lat: 39.7 }], flashes: [{ lon: 1, lat: 2, number: 'WH9' }], s: 2, formatValue: String });
    const pins = o.series[1].data as { id: number; value: number[]; itemStyle: { color: string } }[];
    expect(pins.map((d) => [d.id, d.value, d.itemStyle.color])).toEqual([[7, [106.8, 39.6], LIGHT_COLOURS.red], [8, [106.9, 39.7], LIGHT_COLOURS.green]]);
    expect(o.series[2].data).toEqual([{ name: 'WH9', value: [1, 2], number: 'WH9' }]);
    expect(o.series[1].symbolSize).toBe(24);
  });

  it('rates run from 0 to 1 and red means low; counts run to their maximum and red means high', () => {
    expect(measureRange('onTimeClosure', areas)).toEqual([0, 1]);
    expect(measureRange('overdue', [{ code: 'a', name: 'a', value: 0 }])).toEqual([0, 1]);
    const rate = buildMapOption({ mapName: 'm', measure: 'satisfaction', measureLabel: '', areas, pins: [], flashes: [], s: 1, formatValue: String });
    const count = buildMapOption({ mapName: 'm', measure: 'overdue', measureLabel: '', areas, pins: [], flashes: [], s: 1, formatValue: String });
    expect(rate.visualMap.inRange.color[0]).toBe(count.visualMap.inRange.color.at(-1));
  });

  it('the heat map puts hours on x and weekdays on y', () => {
    const o = buildHeatmapOption([{ weekday: 2, hour: 10, reported: 6 }], ['一', '二', '三', '四', '五', '六', '日'], 1);
    expect(o.series[0].data).toEqual([[10, 2, 6]]);
    expect(o.xAxis.data).toHaveLength(24);
    expect(o.visualMap.max).toBe(6);
  });

  it('change against the previous period', () => {
    expect(changeOf(12, 10)).toBeCloseTo(0.2);
    expect(changeOf(5, 10)).toBeCloseTo(-0.5);
    expect(changeOf(0, 0)).toBe(0);
    expect(changeOf(3, 0)).toBeNull();
    expect(changeOf(null, 1)).toBeNull();
  });

  it('a live event is in an area when its path holds the area code', () => {
    expect(inArea('/150300/150302/150302001/', '150302')).toBe(true);
    expect(inArea('/150300/150302/150302001/', '15030')).toBe(false);
    expect(inArea('/150300/150303/', '150302')).toBe(false);
  });
});
