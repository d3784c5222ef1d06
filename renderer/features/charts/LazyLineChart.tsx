import type { LineChartProps } from '@mantine/charts';
import { Box } from '@mantine/core';
import { lazy, Suspense } from 'react';

// @mantine/charts and recharts (~400 kB) load when a screen first draws a chart (issue 20).
const Chart = lazy(() => import('@mantine/charts').then((m) => ({ default: m.LineChart })));

/** Mantine's LineChart, loaded on first use; holds the chart's height while it loads. */
export function LineChart(props: LineChartProps) {
  return (
    <Suspense fallback={<Box h={props.h ?? 250} />}>
      <Chart {...props} />
    </Suspense>
  );
}
