import { type Page, expect } from '@playwright/test';
import { chooseOption } from './choose-option';

export type NewAppointment = {
  patient: string;
  day: string;
  time: string;
  visit?: string;
  clinician: string;
  program: string;
};

/** The day schedule: pick a day, book visits, print the day's packets. */
export class SchedulePage {
  constructor(readonly page: Page) {}

  async showDay(day: string) {
    await this.page.getByLabel('Day', { exact: true }).first().fill(day);
  }

  async book(a: NewAppointment) {
    const form = this.page.getByRole('region', { name: 'Add appointment' });
    await form.getByRole('textbox', { name: 'Patient' }).fill(a.patient);
    await this.page.getByRole('option', { name: new RegExp(a.patient) }).click();
    await form.getByLabel('Day').fill(a.day);
    await form.getByLabel('Time').fill(a.time);
    if (a.visit) await this.choose(form.getByRole('textbox', { name: 'Visit' }), a.visit);
    await this.choose(form.getByRole('textbox', { name: 'Clinician' }), a.clinician);
    await this.choose(form.getByRole('textbox', { name: 'Program' }), a.program);
    await form.getByRole('button', { name: 'Add appointment' }).click();
    await expect(this.page.getByText(`Booked ${a.patient} for`)).toBeVisible();
  }

  private async choose(input: ReturnType<Page['getByRole']>, option: string) {
    await chooseOption(input, option, true);
  }

  appointments() {
    return this.page.getByRole('table', { name: /^Appointments on / });
  }
}
