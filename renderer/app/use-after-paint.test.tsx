// @vitest-environment jsdom
/**
 * What a screen shows second waits for the frame after what it shows first (issue 20: the chart's
 * panels are drawn after its course), and comes anyway where no frame is drawn (a hidden window).
 */
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAfterPaint } from './use-after-paint';

let frames: FrameRequestCallback[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  frames = [];
  vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
  vi.stubGlobal('cancelAnimationFrame', (id: number) => {
    frames[id - 1] = () => {};
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});
const drawFrame = () => act(() => frames.splice(0).forEach((f) => f(0)));

describe('useAfterPaint', () => {
  it('is false until what comes first is ready, however long that takes', () => {
    const { result } = renderHook(() => useAfterPaint(false));
    drawFrame();
    act(() => vi.advanceTimersByTime(10_000));
    expect(result.current).toBe(false);
  });

  it('turns true in a task after the frame that follows ready, not in the same render', () => {
    const { result, rerender } = renderHook((ready: boolean) => useAfterPaint(ready), {
      initialProps: false,
    });
    rerender(true);
    expect(result.current).toBe(false);
    drawFrame();
    expect(result.current).toBe(false);
    act(() => vi.advanceTimersByTime(0));
    expect(result.current).toBe(true);
    // It stays: what was shown second does not disappear when the first thing reloads.
    rerender(false);
    expect(result.current).toBe(true);
  });

  it('turns true after 150 ms when no frame is drawn', () => {
    const { result } = renderHook(() => useAfterPaint(true));
    act(() => vi.advanceTimersByTime(149));
    expect(result.current).toBe(false);
    act(() => vi.advanceTimersByTime(1));
    expect(result.current).toBe(true);
  });
});
