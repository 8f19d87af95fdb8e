import * as echarts from 'echarts/core';
import { BarChart, EffectScatterChart, HeatmapChart, LineChart, MapChart, PieChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only what the screen draws, so the chunk stays small; no maps or tiles from outside.
echarts.use([MapChart, LineChart, BarChart, PieChart, HeatmapChart, ScatterChart, EffectScatterChart, GeoComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { echarts };
