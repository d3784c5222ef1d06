import { TextInput } from '@mantine/core';

/** The first and last instant of a local day typed as YYYY-MM-DD (none when blank). */
export const dayStart = (d: string) => (d ? new Date(`${d}T00:00:00`).toISOString() : undefined);
export const dayEnd = (d: string) => (d ? new Date(`${d}T23:59:59.999`).toISOString() : undefined);

/** YYYY-MM-DD of a local day, for date inputs. */
export const localDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** True when both days are given and the end comes before the start. */
export const rangeBackwards = (fromDay: string, toDay: string) =>
  !!fromDay && !!toDay && fromDay > toDay;

/** "From" and "To" day fields of the audit screens; a backwards range is said at "To". */
export function DayRangeInputs(props: {
  fromDay: string;
  toDay: string;
  onFrom: (day: string) => void;
  onTo: (day: string) => void;
}) {
  return (
    <>
      <TextInput
        type="date"
        label="From"
        value={props.fromDay}
        onChange={(e) => props.onFrom(e.currentTarget.value)}
      />
      <TextInput
        type="date"
        label="To"
        value={props.toDay}
        onChange={(e) => props.onTo(e.currentTarget.value)}
        error={
          rangeBackwards(props.fromDay, props.toDay)
            ? 'The end date is before the start date'
            : undefined
        }
      />
    </>
  );
}
