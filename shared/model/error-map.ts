/**
 * Every validation message in the clinic's words (issue 18 point 7). Schemas that say their own
 * message keep it; this covers the rest, which zod would otherwise word for programmers ("Invalid
 * ISO date", "Too big: expected string to have <=80 characters"). Installed once for the whole
 * program by importing shared/model (common.ts imports this file first).
 */
import { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

const plural = (n: number | bigint, one: string, many: string) =>
  `${n} ${Number(n) === 1 ? one : many}`;

const missing = (input: unknown) =>
  input === undefined || input === null || (typeof input === 'string' && input.trim() === '');

/** The message for one issue, or nothing to let zod's own stand (it never should). */
export function clinicWords(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (missing(issue.input)) return 'This is required.';
      if (issue.expected === 'number' || issue.expected === 'int')
        return 'Enter a number, in digits.';
      if (issue.expected === 'date') return 'Enter a real date.';
      if (issue.expected === 'boolean') return 'Choose yes or no.';
      return 'This is not the kind of answer expected here.';
    case 'too_small': {
      const min = issue.minimum as number;
      if (issue.origin === 'string')
        return min <= 1
          ? 'This is required.'
          : `Write at least ${plural(min, 'character', 'characters')}.`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return min <= 1 ? 'Choose at least one.' : `Choose at least ${min}.`;
      if (issue.origin === 'date') return 'This date is too early.';
      return issue.inclusive ? `Enter ${min} or more.` : `Enter more than ${min}.`;
    }
    case 'too_big': {
      const max = issue.maximum as number;
      if (issue.origin === 'string')
        return `Keep this to ${plural(max, 'character', 'characters')} or fewer.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Choose at most ${max}.`;
      if (issue.origin === 'date') return 'This date is too late.';
      return issue.inclusive ? `Enter ${max} or less.` : `Enter less than ${max}.`;
    }
    case 'invalid_format':
      switch (issue.format) {
        case 'email':
          return 'Enter an email address, like name@clinic.org.';
        case 'date':
          return 'Enter a real calendar date (this month has no such day, or the date is incomplete).';
        case 'datetime':
          return 'Enter a real date and time.';
        case 'time':
          return 'Enter a time, like 14:05.';
        case 'url':
          return 'Enter a web address, like https://clinic.example.org.';
        case 'uuid':
        case 'uuidv7':
          return 'This link or record reference is not valid.';
        default:
          return 'This is not written the way it should be.';
      }
    case 'not_multiple_of':
      return `Enter a multiple of ${String(issue.divisor)}.`;
    case 'invalid_value':
      return 'Choose one of the options offered.';
    case 'unrecognized_keys':
      return 'This holds something KAT Chart does not expect.';
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return 'This is not the kind of answer expected here.';
    default:
      return 'Check this value.';
  }
}

z.config({ customError: clinicWords });
