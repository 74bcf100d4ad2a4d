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
  for (const name of ['CM_OTP_URL', 'CM_MESSAGING_URL'] as const) {
    const url = env[name];
    if (env.CM_PRODUCT_TOKEN && url && new URL(url).protocol === 'http:' && !LOOPBACK_HOST.test(new URL(url).hostname)) {
      warnings.push(`${name} is plain http:// to another machine: the CM product token and every code cross the network in clear text. Use https://.`);
    }
  }
  return warnings;
}

/** This machine: a CM stand-in here (tests, a sidecar on loopback) sees nothing cross a network. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
