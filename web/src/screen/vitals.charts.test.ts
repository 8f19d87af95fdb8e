import { describe, expect, it } from 'vitest';
import { AQI_COLOURS, aqiGrade, buildAqiDailyOption, buildVitalsMapOption } from './vitals.charts';

describe('城市体征 chart builders', () => {
  it('grades an AQI by the HJ 633-2012 bounds 50, 100, 150, 200, 300', () => {
    expect([0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500].map(aqiGrade)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    // the standard's colours: 绿 黄 橙 红 紫 褐红
    expect(AQI_COLOURS[1]).toBe('#00e400');
    expect(AQI_COLOURS[4]).toBe('#ff0000');
  });

  it('colours each daily bar by its level', () => {
    const o = buildAqiDailyOption([{ label: '11-01', aqi: 42, grade: 1 }, { label: '11-02', aqi: 160, grade: 4 }], 1);
    expect(o.series[0].data.map((d) => [d.value, d.itemStyle.color])).toEqual([[42, '#00e400'], [160, '#ff0000']]);
  });

  it('draws air stations in their level colour, water stations by target, alarms that open their case', () => {
    const o = buildVitalsMapOption({
      mapName: 'm', s: 1, labels: { air: 'air', water: 'water', alarms: 'alarms' },
      stations: [{ id: 'A', name: 'A站', lon: 1, lat: 2, aqi: 120, grade: 3, level: '轻度污染' }, { id: 'B', name: 'B站', lon: 3, lat: 4, aqi: null, grade: 0, level: '' }],
      water: [{ id: 'W1', name: 'W1', lon: 5, lat: 6, label: 'Ⅲ类', onTarget: false }, { id: 'W2', name: 'W2', lon: 7, lat: 8, label: 'Ⅱ类', onTarget: true }],
      alarms: [{ deviceId: 'YG', name: '烟感', lon: 9, lat: 10, rule: 'smoke > 5', caseId: 42 }],
    });
    const colours = (i: number) => (o.series[i].data as { itemStyle: { color: string } }[]).map((d) => d.itemStyle.color);
    expect(colours(0)).toEqual(['#ff7e00', '#8aa0c0']);
    expect(colours(1)).toEqual(['#ff4d4f', '#2ecc71']);
    expect(o.series[2].data).toEqual([{ name: 'YG', value: [9, 10], id: 42, tip: '烟感<br/>smoke > 5' }]);
    expect(o.geo.map).toBe('m');
  });
});
