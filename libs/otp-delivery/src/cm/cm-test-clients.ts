import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import type { CmOptions } from './cm-options.js';
import { CmHttpClient } from './cm-http.client.js';

/**
 * Builds a `CmHttpClient` on given CM options without Nest, for specs and benchmarks that
 * construct the CM classes directly. Not exported from the package.
 */
export function cmHttpClientFor(cm: CmOptions, otp: OtpDeliveryModuleOptions['otp'] = undefined): { http: CmHttpClient; options: OtpDeliveryModuleOptions } {
  const options = { cm, otp } as OtpDeliveryModuleOptions;
  return { http: new CmHttpClient(options), options };
}
