import { isPlainObject } from '../common/plain-object.js';
import type { OtpDeliveryModuleExtras } from '../otp-delivery.module-definition.js';

/** The extras: they shape the module itself, so `forRootAsync` takes them beside the factory, never from it. */
const EXTRAS = ['isGlobal', 'extraProviders', 'callbacks', 'openApi'] as const satisfies readonly (keyof OtpDeliveryModuleExtras)[];

/**
 * Takes the extras out of the options an async factory (or `useClass` / `useExisting`) answered,
 * each a problem that says where it belongs: routes and providers are fixed before the factory runs,
 * so there they would do nothing, and "is not an option" alone sent people looking for a typo.
 * `forRoot` takes them out itself, so they only come this way from `forRootAsync`.
 */
export function extrasInOptions(raw: unknown): { options: unknown; problems: string[] } {
  if (!isPlainObject(raw)) return { options: raw, problems: [] };
  const found = EXTRAS.filter((key) => key in raw);
  if (found.length === 0) return { options: raw, problems: [] };
  const options = { ...raw };
  for (const key of found) delete options[key];
  return {
    options,
    problems: found.map((key) => `${key} is not an option: in forRootAsync it goes beside useFactory (or useClass / useExisting), not in the options they answer`),
  };
}
