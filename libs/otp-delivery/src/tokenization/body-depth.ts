/** Deepest nesting of objects and arrays a callback body may have; Thales bodies need 3. */
export const MAX_CALLBACK_BODY_DEPTH = 32;

/**
 * Whether `value` nests objects or arrays more than `maxDepth` levels deep (the top-level
 * object is level 1). Iterative on purpose: the bodies checked here are the ones that would
 * overflow the stack of a recursive walk (class-transformer's, or this one's).
 */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const pending: { readonly value: unknown; readonly depth: number }[] = [{ value, depth: 1 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(current)) {
      if (child !== null && typeof child === 'object') pending.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
