/** A rule said no. The message is for the person at the keyboard: what happened, what to do. */
export class RuleError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RuleError';
  }
}
