import { Redis } from 'ioredis';
import { createRequire } from 'node:module';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { OtpDeliveryModuleOptions } from './otp-delivery-module-options.js';
import { OtpDeliveryConfigError } from './otp-delivery-config.error.js';
import { validateOptions } from './validate-options.js';
import { resolveOtpDeliveryOptions } from './resolve-options.js';
import { SecretValue } from '../common/secret-value.js';

describe('validateOptions', () => {
  it('lists every bad key in one error, by its full path', () => {
    const attempt = () =>
      validateOptions(OtpDeliveryModuleOptions, {
        cm: { sender: 'AB', otpApiVersion: 'v3', maxMessageParts: 11 },
      });
    expect(attempt).toThrow(OtpDeliveryConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as OtpDeliveryConfigError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          'cm.sender must be 3 to 11 characters',
          expect.stringMatching(/^cm\.otpApiVersion must be one of/),
          'cm.maxMessageParts must be at most 10',
        ]),
      );
      expect(problems).toHaveLength(3);
    }
  });

  it('keeps a SecretValue intact and never prints it', () => {
    const token = new SecretValue('00000000-0000-0000-0000-000000000001');
    const options = validateOptions(OtpDeliveryModuleOptions, { cm: { productToken: token, sender: 'MyBank' } });
    expect(options.cm?.productToken).toBe(token);
    expect(JSON.stringify(options)).not.toContain('00000000-0000-0000-0000-000000000001');
  });

  it('refuses options that are not an object', () => {
    expect(() => validateOptions(OtpDeliveryModuleOptions, 'cm')).toThrow('options must be an object');
  });

  it('refuses null for an option, at any depth of the groups, naming it (an option is given or left out)', () => {
    const problems = problemsOf(() =>
      validateOptions(OtpDeliveryModuleOptions, {
        // Trusted-proxy mode with a null anchor once booted and then checked no proxy at all.
        tokenization: { auth: { mode: 'trusted-proxy', trustedProxies: null, proxySecret: null } },
        cm: { productToken: null },
        email: { outbox: null, from: 'MyBank <otp@mybank.example>' },
        limits: null,
        health: { timeoutMss: null },
      }),
    );
    expect([...problems].sort()).toEqual(
      [
        ...['cm.productToken', 'email.outbox'].map((path) => `${path} must not be null: leave it out for its default`),
        'health.timeoutMss is not an option (did you mean health.timeoutMs?)',
        ...['limits', 'tokenization.auth.proxySecret', 'tokenization.auth.trustedProxies'].map((path) => `${path} must not be null: leave it out for its default`),
      ],
    );
  });

  it('takes email.transport only as a plain object of SMTP options and email.outbox only as an EmailOutbox', () => {
    const from = 'MyBank <otp@mybank.example>';
    class Transporter {
      readonly options = { host: 'smtp.mybank.example' };
    }
    for (const transport of [new Transporter(), () => undefined]) {
      expect(problemsOf(() => validateOptions(OtpDeliveryModuleOptions, { email: { transport, from } }))).toEqual(['email.transport must be a plain object of SMTP options (not a nodemailer transporter)']);
    }
    expect(problemsOf(() => validateOptions(OtpDeliveryModuleOptions, { email: { outbox: 'not an outbox', from } }))).toEqual(['email.outbox must be an EmailOutbox from nestjs-otp-delivery/testing']);
    expect(validateOptions(OtpDeliveryModuleOptions, { email: { transport: { host: 'smtp.mybank.example', port: 587 }, from } }).email?.transport).toEqual({ host: 'smtp.mybank.example', port: 587 });
  });

  it('checks every key of email.transport, the library\'s own SmtpTransportOptions: a typo once sent to localhost', () => {
    const from = 'MyBank <otp@mybank.example>';
    const transport = { hots: 'smtp.mybank.example', port: 'abc', secure: 'yes', auth: { usr: 'otp', pass: 'x' }, dkim: { keys: [{ domainName: '' }] }, logger: false };
    expect(problemsOf(() => resolveOtpDeliveryOptions({ email: { transport, from } }))).toEqual([
      'email.transport.hots is not an option (did you mean email.transport.host?)',
      'email.transport.port must be an integer from 1 to 65535',
      'email.transport.secure must be true or false',
      'email.transport.auth.usr is not an option (did you mean email.transport.auth.user?)',
      'email.transport.dkim.keys[0].domainName must be a non-empty string',
    ]);
    const good = { host: 'smtp.mybank.example', port: '587', requireTLS: true, auth: { user: 'otp', pass: 'x' }, connectionTimeout: 2000 };
    expect(problemsOf(() => resolveOtpDeliveryOptions({ email: { transport: good, from } }))).toEqual([]);
    // What nodemailer takes for OAuth2 token provisioning and message hardening is declared too.
    const oauth = { host: 'smtp.office365.com', port: 587, auth: { type: 'OAuth2', user: 'otp@mybank.example', provisionCallback: () => undefined, timeout: 3600 }, disableFileAccess: true, disableUrlAccess: true, transactionLog: false };
    const google = { service: 'gmail', auth: { type: 'OAuth2', user: 'otp@mybank.example', serviceClient: '1234567890', privateKey: '-----BEGIN PRIVATE KEY-----' } };
    for (const transport of [oauth, google]) expect(problemsOf(() => resolveOtpDeliveryOptions({ email: { transport, from } }))).toEqual([]);
  });

  it('takes email.from and email.replyTo only as one address, alone or after a display name', () => {
    const outbox = { from: 'MyBank <otp@mybank.example>' };
    // What nodemailer would read as two addresses is refused too (a@..., B <b@...>: the part in <> alone looked fine).
    for (const bad of ['x@', '@', 'MyBank <x@>', 'a@mybank.example, b@mybank.example', 'a@mybank.example, B <b@mybank.example>', 'Bank; x@y <b@mybank.example>', 'otp@mybank..example']) {
      expect(problemsOf(() => validateOptions(OtpDeliveryModuleOptions, { email: { ...outbox, from: bad, replyTo: bad } }))).toEqual([
        'email.from must be one email address, alone or as "Display Name" <address@domain>',
        'email.replyTo must be one email address, alone or as "Display Name" <address@domain>',
      ]);
    }
    // A sender may be on a one-label domain (a laptop's outbox: otp@localhost), unlike a recipient.
    for (const good of ['otp@mybank.example', 'MyBank <otp@mybank.example>', '"MyBank, Tokyo" <otp@email.mybank.co.jp>', 'otp@localhost', 'MyBank <otp@localhost>']) {
      expect(problemsOf(() => validateOptions(OtpDeliveryModuleOptions, { email: { from: good, replyTo: good } }))).toEqual([]);
    }
  });

  it('leaves null alone inside what an option holds as given (ioredis options)', () => {
    const options = validateOptions(OtpDeliveryModuleOptions, { store: { type: 'redis', redis: { host: '127.0.0.1', maxRetriesPerRequest: null } } });
    expect(options.store?.redis).toEqual({ host: '127.0.0.1', maxRetriesPerRequest: null });
  });

  it('takes a list option only as an array: a rule on each entry does not check that there is a list', () => {
    // `allowedCountries: 'JP'` once passed and became the countries 'J' and 'P'.
    expect(problemsOf(() => validateOptions(OtpDeliveryModuleOptions, { limits: { allowedCountries: 'JP' } }))).toContain("limits.allowedCountries must be an array such as ['JP']");
    expect(problemsOf(() => validateOptions(OtpDeliveryModuleOptions, { limits: { allowedCountries: [] } }))).toContain('limits.allowedCountries must not be empty (leave it unset to allow every country)');
    for (const schema of [OtpDeliveryModuleOptions, ...nestedGroups(OtpDeliveryModuleOptions).flatMap(({ type }) => (type ? [type] : []))]) {
      const rules = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
      for (const { propertyName } of rules.filter((rule) => rule.each)) {
        expect({ option: `${schema.name}.${propertyName}`, isArray: rules.some((rule) => rule.propertyName === propertyName && rule.name === 'isArray') }).toEqual({ option: `${schema.name}.${propertyName}`, isArray: true });
      }
    }
  });

  it('bounds each rate limit: a window beyond a year is no expiry the store takes, a max beyond a billion no limit', () => {
    const problems = problemsOf(() => validateOptions(OtpDeliveryModuleOptions, { limits: { perCard: { windowSeconds: 1e300 }, perClient: { max: 2 ** 53, windowSeconds: 1.5 } } }));
    expect([...problems].sort()).toEqual([
      'limits.perCard.windowSeconds must be at most 31536000 (a year)',
      'limits.perClient.max must be at most 1000000000',
      'limits.perClient.windowSeconds must be an integer number',
    ]);
    expect(problemsOf(() => validateOptions(OtpDeliveryModuleOptions, { limits: { perDestination: { max: 1_000_000_000, windowSeconds: 31_536_000 } } }))).toEqual([]);
  });

  it('refuses an array for every group of options, which class-validator alone would check element by element', () => {
    const groups = nestedGroups(OtpDeliveryModuleOptions).map(({ path }) => path);
    expect(groups).toEqual(expect.arrayContaining(['cm', 'limits', 'limits.perCard', 'tokenization.auth', 'store.cluster']));
    for (const path of groups) {
      // `limits: { perCard: [{ max: 3 }] }` used to pass and leave the default limit in force.
      const raw = path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), [{ max: 3 }]);
      const attempt = () => validateOptions(OtpDeliveryModuleOptions, raw);
      expect(attempt).toThrow(OtpDeliveryConfigError);
      expect(problemsOf(attempt)).toContainEqual(expect.stringMatching(new RegExp(`^${path.replaceAll('.', '\\.')} must be an object`)));
    }
  });
});

describe('@KeepAsIs fields', () => {
  it('are handed over as the very instances given, without class-transformer walking into them', () => {
    // A real ioredis client: private fields, cycles, state that a copy would lose.
    const client = new Redis({ lazyConnect: true });
    try {
      const fallback = { sms: ['voice'] };
      const options = validateOptions(OtpDeliveryModuleOptions, { store: { redis: client }, delivery: { fallback } });
      expect(options.store?.redis).toBe(client);
      expect((options.store?.redis as Redis).status).toBe('wait');
      expect(options.delivery?.fallback).toBe(fallback);
    } finally {
      client.disconnect();
    }
  });
});

/** The storage behind class-transformer's `@Type` (not in its typings' entry point). */
const typeStorage = (createRequire(import.meta.url)('class-transformer/cjs/storage.js') as {
  defaultMetadataStorage: { findTypeMetadata(target: object, property: string): { typeFunction(): new () => object } | undefined };
}).defaultMetadataStorage;

/** Every `@ValidateNested()` option group reachable from `schema`: its path (`limits.perCard`) and class. */
function nestedGroups(schema: new () => object, parent = ''): { path: string; type?: new () => object }[] {
  const nested = getMetadataStorage()
    .getTargetValidationMetadatas(schema, '', true, false)
    .filter((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION);
  return nested.flatMap(({ propertyName }) => {
    const path = parent ? `${parent}.${propertyName}` : propertyName;
    const type = typeStorage.findTypeMetadata(schema, propertyName)?.typeFunction();
    return [{ path, type }, ...(type ? nestedGroups(type, path) : [])];
  });
}

function problemsOf(attempt: () => unknown): readonly string[] {
  try {
    attempt();
  } catch (error) {
    return (error as OtpDeliveryConfigError).problems;
  }
  return [];
}
