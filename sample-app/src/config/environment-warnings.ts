import type { Environment } from './environment.js';

/**
 * Settings that boot but must not reach production unnoticed, said at every start. (The embedded
 * sandboxes and the in-memory store announce themselves.)
 */
export function environmentWarnings(env: Environment): string[] {
  const warnings: string[] = [];
  if (env.AUTH_MODE === undefined && !env.TLS_CERT) {
    warnings.push(
      'CALLBACKS ACCEPT ANY CALLER: AUTH_MODE is unset and TLS_* are not, so the callbacks run with auth mode none. ' +
        'Set TLS_CERT, TLS_KEY and TLS_CLIENT_CA (mutual TLS here) or AUTH_MODE=trusted-proxy (behind an ingress that checks client certificates) before any real traffic.',
    );
  }
  if (env.HEALTH_TIMEOUT_MS >= 1000) warnings.push(`HEALTH_TIMEOUT_MS is 1000 or more: a probe may outlast Kubernetes' default 1 s timeout`);
  return warnings;
}
