/**
 * What a `claimAndConsume` that refused leaves under its key: the claim's value with this mark
 * (the Redis scripts spell the same `#refused` in Lua).
 * The claim still holds the key (a repeat waits for the refusal it will store), but the mark
 * tells `abandonClaim` that this step counted nothing, so it gives nothing back.
 */
export function refusedClaim(value: string): string {
  return `${value}#refused`;
}
