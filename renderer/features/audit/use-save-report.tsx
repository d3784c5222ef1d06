import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Disclosure } from '../../../shared/rules/disclosures';
import { errorMessage } from '../../app/format';
import { platform } from '../../platform';
import { useDisclosureQuestion } from '../disclosures/DisclosureDialog';

type FileType = { label: string; extension: string; mimeType: string };

/**
 * Saving a report built from the audit log (the log itself, an access report, an accounting of
 * disclosures): ask who it is for, build it, save it, then audit that it left with the answer.
 * Nothing is audited when the person cancels either question.
 */
export function useSaveReport() {
  const disclosures = useDisclosureQuestion();
  const [busy, setBusy] = useState<string>();
  const save = async (report: {
    /** Which button is busy. */
    key: string;
    /** What it is, for the question and the message: "The access report for Lee, Robert". */
    what: string;
    /** What the notice calls it once saved: "Access report". */
    name: string;
    suggestedName: string;
    build: () => Promise<Uint8Array>;
    /** For files other than PDF (the CSV log). */
    fileType?: FileType;
    audited: (disclosure: Disclosure) => Promise<void>;
  }) => {
    const disclosure = await disclosures.ask({ what: report.what });
    if (!disclosure) return;
    setBusy(report.key);
    try {
      const bytes = await report.build();
      const result = report.fileType
        ? await platform.saveFile({
            bytes,
            suggestedName: report.suggestedName,
            fileType: report.fileType,
          })
        : await platform.savePdf({ bytes, suggestedName: report.suggestedName });
      if (!result.ok) throw new Error(result.error.message);
      if (result.value.outcome === 'cancelled') return;
      await report.audited(disclosure);
      notifications.show({
        color: 'teal',
        message: `${report.name} saved as ${result.value.fileName}`,
      });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not saved', message: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };
  return { save, busy, dialog: disclosures.dialog };
}
