import fc from 'fast-check';
import { plainToInstance, Type, type ClassConstructor } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested, validateSync, type ValidationError } from 'class-validator';
import { CallbackBodyValidator, type BodyProblem } from './callback-body.validator.js';
import { SendOtpDto } from './dto/send-otp.dto.js';
import { NotifyVirtualCardChangeDto } from './dto/notify-virtual-card-change.dto.js';
import { D1DeliverOtpDto } from './dto/d1-deliver-otp.dto.js';

/**
 * What class-validator itself answers (`validateSync` on `plainToInstance`), as the pipe used to run
 * it, with one deliberate difference: a top-level `null` is an absent field.
 */
function reference(dto: ClassConstructor<object>, body: object): { problems: BodyProblem[]; instance: object } {
  const instance = plainToInstance(dto, Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null)));
  const flatten = (errors: readonly ValidationError[], parent: string): BodyProblem[] =>
    errors.flatMap((error) => {
      const field = parent ? `${parent}.${error.property}` : error.property;
      const own = error.constraints ? [{ field, missing: error.value === undefined || error.value === null || error.value === '' }] : [];
      return [...own, ...flatten(error.children ?? [], field)];
    });
  return { problems: flatten(validateSync(instance, { forbidUnknownValues: false, whitelist: false }), ''), instance };
}

/** The answer the pipe gives: the first missing field, else the first malformed one. */
const verdict = (problems: readonly BodyProblem[]) => problems.find((problem) => problem.missing) ?? problems[0] ?? 'valid';

const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 140 }),
  fc.stringMatching(/^[0-9]{4,12}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/),
  fc.constantFrom('SMS', 'email', 'EMAIL', 'ACTIVATE', '2026-11-30T10:00:00Z', '1767225600', '1234', '12345'),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxKeys: 3 }),
);

/** Bodies with each known field valid-looking, junk or absent, and unknown fields beside them. */
function bodies(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const record = Object.fromEntries(Object.entries(fields).map(([name, valid]) => [name, fc.oneof(valid, junk)]));
  return fc
    .tuple(fc.record(record, { requiredKeys: [] }), fc.dictionary(fc.stringMatching(/^x[a-z]{1,6}$/), junk, { maxKeys: 2 }))
    .map(([known, unknown]) => ({ ...unknown, ...known }));
}

const text = (max: number) => fc.string({ minLength: 1, maxLength: max });
const otpValue = fc.stringMatching(/^[0-9]{4,10}$/);
const otp = fc.record({ value: fc.oneof(otpValue, junk), expirationDate: fc.oneof(fc.constant('2026-11-30T10:00:00Z'), fc.integer(), junk), reason: fc.oneof(text(64), junk) }, { requiredKeys: [] });

const cases: Array<[string, ClassConstructor<object>, fc.Arbitrary<Record<string, unknown>>]> = [
  [
    'SendOtpDto',
    SendOtpDto,
    bodies({
      issuerCardRefId: text(48),
      otpValue,
      otpMethodId: text(64),
      walletProviderId: text(128),
      tokenRequestor: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
      deviceBindingReference: text(128),
      expirationDate: fc.oneof(fc.constant('2026-11-30T10:00:00Z'), fc.integer({ min: 0 })),
    }),
  ],
  [
    'NotifyVirtualCardChangeDto',
    NotifyVirtualCardChangeDto,
    bodies({
      issuerCardRefId: text(48),
      virtualCardId: text(64),
      walletProviderId: text(128),
      tokenStorageId: text(128),
      isPrimary: fc.boolean(),
      action: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      source: text(64),
      tokenInfo: junk,
      walletCardRefId: text(128),
      walletVirtualCardId: text(128),
      primaryWalletVirtualCardId: text(128),
      errorCode: fc.oneof(fc.integer({ min: 0, max: 999_999 }), fc.stringMatching(/^[0-9]{1,6}$/)),
    }),
  ],
  [
    'D1DeliverOtpDto',
    D1DeliverOtpDto,
    bodies({
      otp: fc.oneof(otp, fc.array(fc.oneof(otp, junk), { maxLength: 2 })),
      deliveryChannel: fc.constantFrom('SMS', 'EMAIL', 'sms', 'Email', 'FAX'),
      panSuffix: fc.stringMatching(/^[0-9]{3,5}$/),
      digitalCardRequestor: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
      deviceInformation: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
    }),
  ],
];

describe('CallbackBodyValidator', () => {
  it.each(cases)('gives the answer class-validator gives, for any %s body', (_name, dto, arbitrary) => {
    const compiled = CallbackBodyValidator.of(dto);
    let valid = 0;
    fc.assert(
      fc.property(arbitrary, (body) => {
        const expected = reference(dto, body);
        const actual = compiled.validate(body);
        expect(verdict(actual.problems)).toEqual(verdict(expected.problems));
        if (expected.problems.length === 0) {
          valid += 1;
          // The declared fields come out transformed exactly as class-transformer makes them.
          for (const key of Object.keys(actual.instance)) expect((actual.instance as Record<string, unknown>)[key]).toEqual((expected.instance as Record<string, unknown>)[key]);
          expect(actual.instance).toBeInstanceOf(dto);
        }
      }),
      { numRuns: 3000 },
    );
    // The generator reaches valid bodies too (about 10 in 3,000 for the sparsest DTO), so the success
    // path is compared as well.
    expect(valid).toBeGreaterThan(0);
  });

  it('leaves class-transformer out of a body with no property it would change (the hot path), and uses it for one with', () => {
    const tokenRequestor = { id: 'apple' };
    const plain = CallbackBodyValidator.of(SendOtpDto).validate({ issuerCardRefId: 'c', otpValue: '123456', otpMethodId: 'm', tokenRequestor });
    // class-transformer copies a nested object; the body's own object means it was not involved.
    expect(plain.instance.tokenRequestor).toBe(tokenRequestor);
    const transformed = CallbackBodyValidator.of(SendOtpDto).validate({ issuerCardRefId: 'c', otpValue: '123456', otpMethodId: 'm', tokenRequestor, expirationDate: 20261130 });
    expect(transformed.instance.expirationDate).toBe('20261130');
    expect(transformed.instance.tokenRequestor).not.toBe(tokenRequestor);
    expect(transformed.instance.tokenRequestor).toEqual(tokenRequestor);
  });

  it('refuses to compile a nested object that an array could stand in for (class-validator checks an array element by element)', () => {
    class Inner {
      @IsDefined()
      value!: string;
    }
    class WithoutObjectCheck {
      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;
    }
    class WithObjectCheck {
      @IsObject()
      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;
    }
    expect(() => CallbackBodyValidator.of(WithoutObjectCheck)).toThrow('WithoutObjectCheck.inner is @ValidateNested() without @IsObject()');
    expect(CallbackBodyValidator.of(WithObjectCheck).validate({ inner: [{ value: 'x' }] }).problems).toEqual([{ field: 'inner', missing: false }]);
    expect(CallbackBodyValidator.of(WithObjectCheck).validate({ inner: { value: 'x' } }).problems).toEqual([]);
  });

  it('takes a null field for an absent one: a required one is missing, an optional one is left out', () => {
    const notify = { issuerCardRefId: 'c', virtualCardId: 'v', walletProviderId: 'w', tokenStorageId: 't', isPrimary: true, action: 'ACTIVATE' };
    const { instance, problems } = CallbackBodyValidator.of(NotifyVirtualCardChangeDto).validate({ ...notify, errorCode: null, tokenInfo: null, source: null });
    expect(problems).toEqual([]);
    expect([instance.errorCode, instance.tokenInfo, instance.source]).toEqual([undefined, undefined, undefined]);
    expect(CallbackBodyValidator.of(NotifyVirtualCardChangeDto).validate({ ...notify, action: null }).problems).toEqual([{ field: 'action', missing: true }]);
    // tokenInfo is an object or a string, nothing else.
    expect(CallbackBodyValidator.of(NotifyVirtualCardChangeDto).validate({ ...notify, tokenInfo: 42 }).problems).toEqual([{ field: 'tokenInfo', missing: false }]);
  });

  it('keeps unknown fields out of the instance (they are accepted and ignored, never walked)', () => {
    const { instance, problems } = CallbackBodyValidator.of(SendOtpDto).validate({ issuerCardRefId: 'c', otpValue: '123456', otpMethodId: 'm', xSomething: { deep: true } });
    expect(problems).toEqual([]);
    expect(instance).not.toHaveProperty('xSomething');
  });
});
