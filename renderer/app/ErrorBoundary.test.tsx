// @vitest-environment jsdom
/**
 * The boundary around each screen. A new address must clear a problem shown, but must not remount
 * the screen: a new summary or note moves its own address to its id on the first autosave, and a
 * remount there dropped everything typed after the first few letters (CI, note-templates.spec).
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Router, useLocation } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { ErrorBoundary, RouteBoundary } from './ErrorBoundary';

afterEach(cleanup);

/** An editor that, like the summary editor, takes its record's address on the first save. */
function Editor() {
  const [text, setText] = useState('');
  const [, navigate] = useLocation();
  return (
    <textarea
      aria-label="Insights"
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        navigate('/patients/p1/integration/s1', { replace: true });
      }}
    />
  );
}

describe('RouteBoundary', () => {
  it('keeps the screen mounted when its address changes under it', () => {
    const { hook } = memoryLocation({ path: '/patients/p1/integration/new' });
    render(
      <Router hook={hook}>
        <RouteBoundary>
          <Editor />
        </RouteBoundary>
      </Router>,
    );
    const box = screen.getByLabelText('Insights') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'Fe' } });
    fireEvent.change(screen.getByLabelText('Insights'), { target: { value: 'Felt held' } });
    expect(screen.getByLabelText('Insights')).toBe(box);
    expect(box.value).toBe('Felt held');
  });
});

describe('ErrorBoundary', () => {
  it('clears a problem shown when its reset key changes', () => {
    let broken = true;
    function Screen() {
      if (broken) throw new Error('Boom');
      return <p>Chart</p>;
    }
    const quiet = console.error;
    console.error = () => {};
    try {
      const view = render(
        <ErrorBoundary resetKey="/a" fallback={({ error }) => <p>{String(error)}</p>}>
          <Screen />
        </ErrorBoundary>,
      );
      expect(screen.getByText('Error: Boom')).toBeTruthy();
      broken = false;
      act(() =>
        view.rerender(
          <ErrorBoundary resetKey="/b" fallback={({ error }) => <p>{String(error)}</p>}>
            <Screen />
          </ErrorBoundary>,
        ),
      );
      expect(screen.getByText('Chart')).toBeTruthy();
    } finally {
      console.error = quiet;
    }
  });
});
