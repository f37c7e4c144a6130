/**
 * Why the standalone app cannot start, for a person: what is missing and the one thing that fixes
 * it. Printed as a single line, never with a stack.
 */
export class StartupError extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem.replace(/[.\s]+$/, '')}. Fix: ${fix}`);
  }

  /** The line printed before exiting. */
  get line(): string {
    return `Hallwatch cannot start: ${this.message}`;
  }
}
