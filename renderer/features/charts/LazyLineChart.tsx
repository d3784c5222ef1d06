import type { LineChartProps } from '@mantine/charts';
import { Box } from '@mantine/core';
import { useEffect, useLayoutEffect, useState } from 'react';

// @mantine/charts and recharts (~400 kB) load when a screen first draws a chart (issue 20).
type Chart = typeof import('@mantine/charts').LineChart;
let loaded: Chart | undefined;
let loading: Promise<Chart> | undefined;

/**
 * Starts loading the chart library, once; a screen from which a chart is one click away calls it
 * (the patient chart when idle, the dose record as it opens) so the chart need not wait for it.
 */
export function preloadCharts(): Promise<Chart> {
  loading ??= import('@mantine/charts').then(
    (m) => (loaded = m.LineChart),
    (e: unknown) => {
      loading = undefined; // a later chart tries again
      throw e;
    },
  );
  return loading;
}

/** `preloadCharts` when the browser has nothing else to do (after the screen is drawn). */
export function preloadChartsWhenIdle(): () => void {
  if (loaded) return () => {};
  const load = () => void preloadCharts().catch(() => undefined);
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(load, { timeout: 2_000 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(load, 200);
  return () => clearTimeout(id);
}

/**
 * Mantine's LineChart, loaded on first use; holds the chart's height while it loads or is drawn.
 * Not React.lazy: a Suspense fallback, once shown, holds the content back until 300 ms after it
 * appeared (React's retry throttle), which was most of the 389 ms from a click on a dose record
 * to its vitals chart drawn, the library already loaded or not. The chart is drawn the frame after
 * the screen around it, so the text beside it (the vitals table) is not held back by its drawing.
 */
export function LineChart(props: LineChartProps) {
  const [Chart, setChart] = useState(() => loaded);
  const [screenDrawn, setScreenDrawn] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  useLayoutEffect(() => {
    const frame = requestAnimationFrame(() => setScreenDrawn(true));
    return () => cancelAnimationFrame(frame);
  }, []);
  useEffect(() => {
    if (Chart) return;
    let live = true;
    preloadCharts().then(
      (c) => live && setChart(() => c),
      (e: unknown) => live && setFailure(e),
    );
    return () => {
      live = false;
    };
  }, [Chart]);
  // The nearest error boundary says the chart could not be shown, as it did with React.lazy.
  if (failure) throw failure;
  return Chart && screenDrawn ? <Chart {...props} /> : <Box h={props.h ?? 250} />;
}
