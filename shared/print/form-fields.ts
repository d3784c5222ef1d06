/**
 * A consent form's fields on paper, in place: filled values as signed (label above, value on a
 * ruled line; initials in a box at the right of the section they close), or blank lines to fill
 * in by hand on a packet printed for wet signature.
 */
import type { FilledField, TemplateField } from '../model/consent';
import { fieldValueText } from '../rules/consent-fields';
import { INK, MUTED, RULE, type PageFlow } from './layout';

export type FieldsOnPaper =
  | { mode: 'filled'; fields: readonly FilledField[] }
  | { mode: 'blank'; fields: readonly TemplateField[] };

const INITIALS_BOX = { width: 74, height: 24 };

export function drawField(flow: PageFlow, id: string, on: FieldsOnPaper | undefined): void {
  const field = on?.fields.find((f) => f.id === id);
  if (!field) return; // a marker with no field (cannot pass the template checks): print nothing
  const value = on!.mode === 'filled' ? fieldValueText(field as FilledField) : '';
  if (field.type === 'initials') return drawInitials(flow, field.label, value);
  if (field.type === 'checkbox') return drawCheckbox(flow, field.label, on!.mode, value);
  flow.ensure(34);
  flow.gap(4);
  flow.draw(field.label, flow.left, flow.y - 8, { size: 8, color: MUTED });
  flow.gap(24);
  const lineY = flow.y + 2;
  const width = Math.min(flow.width, field.type === 'text' ? flow.width * 0.75 : 220);
  if (value) flow.draw(value, flow.left + 2, lineY + 4, { size: 11, bold: true, color: INK });
  flow.page.drawLine({
    start: { x: flow.left, y: lineY },
    end: { x: flow.left + width, y: lineY },
    thickness: 0.7,
    color: value ? RULE : INK,
  });
  flow.gap(10);
}

function drawInitials(flow: PageFlow, label: string, value: string) {
  flow.ensure(INITIALS_BOX.height + 10);
  flow.gap(4);
  const x = flow.left + flow.width - INITIALS_BOX.width;
  const y = flow.y - INITIALS_BOX.height;
  const caption = label;
  const captionWidth = flow.measure(caption, 8);
  flow.draw(caption, x - captionWidth - 8, y + 9, { size: 8, color: MUTED });
  flow.page.drawRectangle({
    x,
    y,
    width: INITIALS_BOX.width,
    height: INITIALS_BOX.height,
    borderColor: INK,
    borderWidth: 0.7,
  });
  if (value) {
    const w = flow.measure(value, 12, true);
    flow.draw(value, x + (INITIALS_BOX.width - w) / 2, y + 7, { size: 12, bold: true });
  }
  flow.gap(INITIALS_BOX.height + 8);
}

function drawCheckbox(flow: PageFlow, label: string, mode: FieldsOnPaper['mode'], value: string) {
  const lines = flow.wrap(label, flow.width - 22, 10);
  flow.ensure(lines.length * 14 + 6);
  flow.gap(2);
  const top = flow.y;
  flow.page.drawRectangle({
    x: flow.left,
    y: top - 12,
    width: 10,
    height: 10,
    borderColor: INK,
    borderWidth: 0.8,
  });
  if (mode === 'filled' && value === 'Yes') {
    flow.page.drawLine({
      start: { x: flow.left + 2, y: top - 7 },
      end: { x: flow.left + 4.5, y: top - 10 },
      thickness: 1.3,
      color: INK,
    });
    flow.page.drawLine({
      start: { x: flow.left + 4.5, y: top - 10 },
      end: { x: flow.left + 8.5, y: top - 3.5 },
      thickness: 1.3,
      color: INK,
    });
  }
  lines.forEach((line, i) => flow.draw(line, flow.left + 18, top - 10.5 - i * 14, { size: 10 }));
  flow.gap(lines.length * 14 + 6);
}
