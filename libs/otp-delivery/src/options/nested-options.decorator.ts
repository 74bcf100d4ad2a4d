import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * A group of options, given as one object of `type`'s fields. `@ValidateNested()` alone takes an
 * array too and checks its elements instead, so `limits: { perCard: [{ max: 3 }] }` would pass and
 * leave the default in force: here an array is refused (`limits.perCard must be an object`).
 */
export function NestedOptions(type: () => new () => object): PropertyDecorator {
  const decorators = [IsObject(), ValidateNested(), Type(type)];
  return (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };
}
