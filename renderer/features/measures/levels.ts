import type { SeverityLevel } from '../../../shared/rules/measures';

/** One colour per shared severity level, so badges and chart shading read alike everywhere. */
export const LEVEL_COLOR: Record<SeverityLevel, string> = {
  0: 'teal',
  1: 'lime',
  2: 'yellow',
  3: 'orange',
  4: 'red',
};
