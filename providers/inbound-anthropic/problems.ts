import { UnsupportedParameterError } from "../types";

/** Something in a request that one wire format cannot say in another: where it is and why. */
export interface TranslationProblem {
  param: string;
  message: string;
}

/**
 * Problems found while translating a request. They are kept rather than thrown so that a target which needs no
 * translation (the format's own provider) can still serve the request; a target that does need it throws the
 * first one as a 400 naming the field.
 */
export class TranslationProblems {
  readonly list: TranslationProblem[] = [];

  /** Record a problem; returns null so a mapper can `return problems.add(...)` for "nothing to send". */
  add(param: string, message: string): null {
    this.list.push({ param, message });
    return null;
  }

  throwFirst(provider: string): void {
    const first = this.list[0];
    if (first)
      throw new UnsupportedParameterError(
        first.param,
        `${first.param}: ${first.message} (target provider: ${provider})`,
      );
  }
}
