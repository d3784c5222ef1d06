import { LineChart } from '@mantine/charts';
import { ReferenceArea, ReferenceLine } from 'recharts';
import type { MEASURES } from '../../../shared/rules/measures';
import { LEVEL_COLOR } from './levels';

type Scale = NonNullable<(typeof MEASURES)[keyof typeof MEASURES]['scale']>;

/**
 * One instrument's totals on its shaded severity bands, with the response and remission lines
 * where they apply. Its own module so recharts loads with the first chart (MeasureTrendPanel).
 */
export function MeasureTrendChart({
  rows,
  name,
  scale,
  responseAt,
  remissionBelow,
}: {
  rows: Record<string, string | number>[];
  name: string;
  scale: Scale;
  responseAt: number | undefined;
  remissionBelow: number | undefined;
}) {
  return (
    <LineChart
      h={200}
      data={rows}
      dataKey="date"
      series={[{ name, color: 'blue.8' }]}
      curveType="linear"
      withDots
      yAxisProps={{
        domain: [scale.min, scale.max],
        ticks: [...scale.bands.map((b) => b.min), scale.max],
        interval: 0,
      }}
      gridAxis="none"
    >
      {scale.bands.map((b, i) => (
        <ReferenceArea
          key={b.key}
          yAxisId="left"
          y1={b.min}
          y2={scale.bands[i + 1]?.min ?? scale.max}
          fill={`var(--mantine-color-${LEVEL_COLOR[b.level]}-4)`}
          fillOpacity={0.18}
          ifOverflow="hidden"
          label={{
            value: b.label,
            position: 'insideTopRight',
            fontSize: 10,
            fill: '#444',
          }}
        />
      ))}
      {responseAt !== undefined && (
        <ReferenceLine
          yAxisId="left"
          y={responseAt}
          stroke="#1b5e20"
          strokeDasharray="4 3"
          label={{
            value: `Response ≤ ${Math.floor(responseAt)}`,
            position: 'insideBottomLeft',
            fontSize: 10,
            fill: '#1b5e20',
          }}
        />
      )}
      {remissionBelow != null && (
        <ReferenceLine
          yAxisId="left"
          y={remissionBelow}
          stroke="#0b3d91"
          strokeDasharray="2 2"
          label={{
            value: `Remission < ${remissionBelow}`,
            position: 'insideBottomRight',
            fontSize: 10,
            fill: '#0b3d91',
          }}
        />
      )}
    </LineChart>
  );
}
