import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { OtpLogger } from '../logging/otp-logger.js';
import { CALLBACK_ROUTES } from './tokenization.constants.js';
import { callbackPathPrefixes, type ResolvedCallbackRoutes } from './callback-routes.js';

/**
 * Says at boot which callbacks the module mounted and where: callbacks are opt-in, so a 404 on
 * `sendOTP` must be explainable from the first lines of the log.
 */
@Injectable()
export class MountedCallbacksLog implements OnApplicationBootstrap {
  private readonly logger = new OtpLogger('OtpTokenizationCallbacks');

  constructor(@Inject(CALLBACK_ROUTES) private readonly routes: ResolvedCallbackRoutes) {}

  onApplicationBootstrap(): void {
    const groups = (['classic', 'd1', 'statusReports'] as const).filter((group) => this.routes[group] !== undefined);
    if (groups.length === 0) {
      this.logger.log('No tokenization callback mounted (the module\'s callbacks option mounts them)');
      return;
    }
    const mounted = groups.map((group) => `${group} at ${callbackPathPrefixes({ [group]: this.routes[group] })[0]}`);
    this.logger.log(`Tokenization callbacks mounted: ${mounted.join(', ')}`);
  }
}
