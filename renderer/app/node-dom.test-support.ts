/**
 * A DOM for React tests that use the real record store: jsdom's window and document put on Node's
 * globals, without jsdom's environment replacing Node's typed arrays and encoders (the store's
 * WebCrypto refuses buffers from jsdom's realm, so `@vitest-environment jsdom` cannot be used).
 * Await it before importing React Testing Library or Mantine.
 */
export async function installNodeDom(): Promise<void> {
  const jsdom = 'jsdom'; // no type declarations installed; only its JSDOM class is used
  const { JSDOM } = (await import(jsdom)) as {
    JSDOM: new (html: string) => { window: Window & typeof globalThis };
  };
  const dom = new JSDOM('<!doctype html><body></body>');
  stubMantineNeeds(dom.window);
  Object.assign(globalThis, {
    window: dom.window,
    document: dom.window.document,
    navigator: dom.window.navigator,
    HTMLElement: dom.window.HTMLElement,
    IS_REACT_ACT_ENVIRONMENT: true,
  });
}

/**
 * What Mantine's provider and components ask of a window that jsdom lacks: `matchMedia` (the
 * colour scheme) and `ResizeObserver`. Where a test already has them, they are kept.
 */
export function stubMantineNeeds(win: Window & typeof globalThis = window): void {
  win.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  })) as typeof win.matchMedia;
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
