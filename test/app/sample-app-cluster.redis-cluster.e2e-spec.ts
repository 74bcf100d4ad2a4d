import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { describeRedisCluster } from '../support/redis-cluster.js';
import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';
import { classicHeaders, postJson } from '../tokenization/support/callback-app.js';

const CLASSIC = '/issuer/igwapi/v2.0';

/**
 * The sample app deployed on a Redis Cluster through its environment alone (`REDIS_CLUSTER_NODES`):
 * two replicas on a real 3-master cluster agree on method ids and send one SMS for a duplicate.
 */
describeRedisCluster('two sample-app replicas on a Redis Cluster', (cluster) => {
  let cm: CmSandbox;
  let replicas: [SampleAppProcess, SampleAppProcess];

  beforeAll(async () => {
    cm = await CmSandbox.start();
    const env = {
      CM_PRODUCT_TOKEN: cm.productToken,
      CM_OTP_URL: cm.url,
      CM_MESSAGING_URL: cm.url,
      REDIS_CLUSTER_NODES: cluster().nodes.map(({ host, port }) => `redis://${host}:${port}`).join(','),
      REDIS_KEY_PREFIX: 'sample-cluster:',
      OTP_METHOD_ID_SECRET: 'cluster-test-secret-shared-by-both-00001',
    };
    replicas = await Promise.all([startSampleApp(env), startSampleApp(env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((replica) => replica.stop()));
    await cm?.close();
  });

  it('reports the store ready, accepts on one replica the method id of the other, and sends one SMS for a duplicate', async () => {
    const [first, second] = replicas;
    const ready = (await (await fetch(`${second.managementUrl}/health/ready`)).json()) as { details: Record<string, { status: string }> };
    expect(ready.details.store).toMatchObject({ status: 'up' });
    expect(first.output()).toContain('store: Redis (cluster)');

    const decision = await postJson(`${first.url}${CLASSIC}/requestCardDigitization`, { issuerCardRefId: 'card-jp-0001' }, classicHeaders('cluster-flow-1'));
    const otpMethodId = (decision.body as { idvMethodList: { id: string; type: string }[] }).idvMethodList.find((method) => method.type === 'otpBySMS')!.id;
    const body = { issuerCardRefId: 'card-jp-0001', otpValue: '620419', otpMethodId };
    cm.setLatency(300);
    try {
      const answers = await Promise.all(replicas.map((replica) => postJson(`${replica.url}${CLASSIC}/sendOTP`, body, classicHeaders('cluster-flow-1'))));
      expect(answers).toEqual([
        { status: 200, body: {} },
        { status: 200, body: {} },
      ]);
    } finally {
      cm.setLatency(0);
    }
    expect(cm.outbox.filter((message) => message.text.includes('620419'))).toHaveLength(1);
    // The state lives in the cluster, spread over its masters.
    expect((await cluster().keys('sample-cluster:*')).length).toBeGreaterThan(0);
  });
});
