import type { Instrument } from '../../model/measure';
import { CSSRS_SCREENER } from './cssrs';
import { GAD7 } from './gad7';
import { PCL5 } from './pcl5';
import { PHQ9 } from './phq9';
import type { MeasureDefinition } from './types';

/** Every instrument the clinic can give, by the key stored on an outcome-measure record. */
export const MEASURES: Readonly<Record<Instrument, MeasureDefinition>> = {
  phq9: PHQ9,
  gad7: GAD7,
  pcl5: PCL5,
  'cssrs-screener': CSSRS_SCREENER,
};
