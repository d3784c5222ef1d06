/**
 * The props every chart action and panel receives. Areas contribute their sections through their
 * registries (gathered in app/routes.tsx); the chart reads them from app/contributions.ts, so it
 * imports no area and no area's import of the chart makes a circle.
 */
export type { ChartSectionProps } from '../../app/contributions';
