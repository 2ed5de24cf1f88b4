/** Bad input: names the field (as in the request, e.g. `todo.title`) and what is wrong with it. */
export class InvalidArgumentError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
