// @vitest-environment jsdom
/**
 * The charts' library loads on first use (issue 20). Opening a dose record took 389 ms to its
 * vitals chart, most of it React holding the chart back for 300 ms after a Suspense fallback had
 * stood in for it, however soon the library arrived.
 */
import { MantineProvider } from '@mantine/core';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubMantineNeeds } from '../../app/node-dom.test-support';

// The library itself is not under test: it arrives when the test says so, and draws a marker.
let arrive: () => void = () => {};
const arrived = new Promise<void>((r) => (arrive = r));
vi.mock('@mantine/charts', async () => {
  await arrived;
  return { LineChart: () => <svg aria-label="The chart itself" /> };
});

// React as in the app, with its own scheduler: act() would flush work the browser would wait for.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
beforeAll(() => stubMantineNeeds());
let root: Root | undefined;
afterEach(() => root?.unmount());

const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => requestAnimationFrame(r));
  await new Promise((r) => setTimeout(r, 5));
};
const drawn = () => document.querySelector('svg[aria-label="The chart itself"]');

/** A screen with one chart; resolves once React has committed it (the placeholder or the chart). */
async function screenWithChart() {
  const { LineChart } = await import('./LazyLineChart');
  const el = document.body.appendChild(document.createElement('div'));
  root = createRoot(el);
  root.render(
    <MantineProvider>
      <p>Vital signs</p>
      <LineChart h={240} data={[]} dataKey="t" series={[]} />
    </MantineProvider>,
  );
  while (!el.querySelector('p')) await new Promise((r) => setTimeout(r, 1));
  return el;
}

describe('a line chart whose library loads on first use', () => {
  it('holds its place while the library loads, and is drawn within frames of its arrival', async () => {
    const el = await screenWithChart();
    await frames(2);
    expect(drawn()).toBeNull();
    // The chart's height is kept, so the screen below it does not jump when it comes.
    expect(el.querySelector('p + div')?.getAttribute('style')).toContain('15rem');
    arrive();
    await frames(4); // ~65 ms
    // Before: still the placeholder here, the chart held until 300 ms after it first showed.
    expect(drawn()).not.toBeNull();
  });

  it('once loaded, is drawn the frame after the screen around it', async () => {
    await screenWithChart();
    // The screen first (the vitals table), then the chart: its drawing does not hold the table.
    expect(drawn()).toBeNull();
    await frames(2);
    expect(drawn()).not.toBeNull();
  });
});
