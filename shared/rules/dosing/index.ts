/** The prescriber's dosing rules, for the dose screens and the dose repository. */
export * from './blood-pressure';
export * from './clinic-day';
export * from './discharge';
export * from './findings';
export * from './log-entry';
export * from './mg-per-kg';
export * from './safety-checks';
export * from './settings-catalog';
export * from './vitals';
export * from './session';
