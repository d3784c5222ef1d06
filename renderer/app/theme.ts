import {
  type CSSVariablesResolver,
  DEFAULT_THEME,
  Modal,
  Notification,
  createTheme,
} from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 9,
  autoContrast: true,
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss message' } },
    }),
    // A dialog's × is a button like any other: it needs a name a screen reader can say.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
  },
});

/**
 * Mantine's default light-variant, outline and dimmed colours fall below WCAG AA contrast (4.5:1)
 * on white; clinics read this screen all day, so every text colour uses the darkest shades.
 */
const LIGHT_BG: Record<string, string> = Object.fromEntries(
  Object.entries(DEFAULT_THEME.colors).map(([c, shades]) => {
    const hex = shades[6].slice(1);
    return [c, [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')];
  }),
);

export const contrastResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#565e67',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-placeholder': '#6b737c',
    '--mantine-color-anchor': 'var(--mantine-color-teal-9)',
    '--mantine-primary-color-light-color': 'var(--mantine-color-teal-9)',
    ...Object.fromEntries(
      Object.keys(DEFAULT_THEME.colors).flatMap((c) => [
        [`--mantine-color-${c}-light-color`, `var(--mantine-color-${c}-9)`],
        [`--mantine-color-${c}-outline`, `var(--mantine-color-${c}-9)`],
        [`--mantine-color-${c}-text`, `var(--mantine-color-${c}-9)`],
        [`--mantine-color-${c}-filled`, `var(--mantine-color-${c}-9)`],
        // hover keeps shade 9: shade 8 under white text falls below 4.5:1
        [`--mantine-color-${c}-filled-hover`, `var(--mantine-color-${c}-9)`],
        [`--mantine-color-${c}-light`, `rgba(${LIGHT_BG[c] ?? '0, 0, 0'}, 0.05)`],
        // under the pointer (an active navigation entry): shade-9 text keeps 4.6:1 (0.09 gave 4.4)
        [`--mantine-color-${c}-light-hover`, `rgba(${LIGHT_BG[c] ?? '0, 0, 0'}, 0.06)`],
      ]),
    ),
    // Shade 9 of the warm colours is still too light for text on white.
    '--mantine-color-yellow-light-color': '#6b4700',
    '--mantine-color-orange-light-color': '#8a3b0b',
    '--mantine-color-lime-light-color': '#3d5a0b',
    '--mantine-primary-color-light': 'rgba(8, 127, 91, 0.05)',
    '--mantine-primary-color-light-hover': 'rgba(8, 127, 91, 0.06)',
  },
  dark: {},
});
