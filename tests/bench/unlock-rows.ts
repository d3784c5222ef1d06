/** Rows for sign-in/unlock and patient search, each run at two clinic sizes for the growth factor. */
import type { BenchBrowser } from './browser';
import { type Row, ms, times } from './report';

export async function unlockRows(b: BenchBrowser, sizes: readonly [number, number]) {
  const little = await b.call('unlockAndSearch', sizes[0]);
  const big = await b.call('unlockAndSearch', sizes[1]);
  // Signed in, the patient index built, the bench's generated records released.
  const heapMb = await b.heapMb();
  await b.call('release');
  const n = `${big.patients.toLocaleString('en-US')} patients`;
  const rows: Row[] = [
    {
      benchmark: `sign-in/unlock with Argon2id key derivation and patient index build (${n})`,
      ours: `${ms(big.unlockMs)} (Argon2id alone ${ms(big.kdfMs)})`,
      baseline: '—',
      ratio: '',
      goal: '< 1.5 s',
      met: big.unlockMs < 1_500,
    },
    {
      benchmark: `patient search keystroke → index results, p95 of ${big.keystrokes} keystrokes (${n}; UI render not included)`,
      ours: `${big.searchP95Ms.toFixed(2)} ms (median ${big.searchMedianMs.toFixed(2)})`,
      baseline: '—',
      ratio: '',
      goal: 'p95 < 30 ms',
      met: big.searchP95Ms < 30,
    },
    {
      benchmark: `autosave of a note edit: p95 of ${big.autosaves} saves of a growing draft (store write; editor debounce not included)`,
      ours: `${big.autosaveP95Ms.toFixed(1)} ms (median ${big.autosaveMedianMs.toFixed(1)})`,
      baseline: '—',
      ratio: '',
      goal: 'p95 < 10 ms',
      met: big.autosaveP95Ms < 10,
    },
    {
      benchmark: `open a chart: read, decrypt and group ${big.chartRecords} records into ${big.chartEntries} timeline entries (median of 7; render not included)`,
      ours: ms(big.chartOpenMs),
      baseline: '—',
      ratio: '',
      goal: '< 100 ms',
      met: big.chartOpenMs < 100,
    },
    {
      benchmark: `bench page JS heap after sign-in with the ${n} index built (generated records released)`,
      ours: `${heapMb.toFixed(0)} MB`,
      baseline: '—',
      ratio: '',
      goal: 'reported',
      met: null,
    },
    {
      benchmark: `growth ${little.patients.toLocaleString('en-US')} → ${n} (${times(big.patients / little.patients)}): unlock / search p95`,
      ours: `${times(big.unlockMs / little.unlockMs)} / ${times(big.searchP95Ms / Math.max(little.searchP95Ms, 0.01))}`,
      baseline: '—',
      ratio: '',
      goal: 'reported',
      met: null,
    },
  ];
  return { rows, raw: [little, big, { heapMb }] };
}
