import { validateCallbackBody } from './callback-body.pipe.js';
import { CallbackValidationError } from './errors/callback-validation.error.js';
import { SendOtpDto } from './dto/send-otp.dto.js';
import { NotifyVirtualCardChangeDto } from './dto/notify-virtual-card-change.dto.js';
import { D1DeliverOtpDto } from './dto/d1-deliver-otp.dto.js';
import { MAX_CALLBACK_BODY_DEPTH } from './body-depth.js';
import { compileOtpValuePattern } from './otp-value-pattern.js';
import { plainToInstance } from 'class-transformer';

const sendOtp = { issuerCardRefId: 'card-1', otpValue: '00123456', otpMethodId: 'm1', walletProviderId: 'APPLE_PAY' };

function failure(dto: new () => object, body: unknown): CallbackValidationError {
  try {
    validateCallbackBody(dto, body);
  } catch (error) {
    if (error instanceof CallbackValidationError) return error;
    throw error;
  }
  throw new Error('expected a CallbackValidationError');
}

describe('validateCallbackBody', () => {
  it('accepts a valid body and keeps unknown fields without complaint', () => {
    const dto = validateCallbackBody(SendOtpDto, { ...sendOtp, someNewField: { x: 1 } });
    expect(dto).toBeInstanceOf(SendOtpDto);
    expect(dto.otpValue).toBe('00123456');
  });

  it('answers 111 naming a missing field, preferring it over a malformed one', () => {
    const error = failure(SendOtpDto, { ...sendOtp, otpValue: undefined, otpMethodId: 42 });
    expect(error).toMatchObject({ responseCode: 111, field: 'otpValue', message: 'Missing mandatory parameter: otpValue' });
  });

  it('answers 112 naming a malformed field, never echoing its value', () => {
    const error = failure(SendOtpDto, { ...sendOtp, otpValue: '12 34' });
    expect(error).toMatchObject({ responseCode: 112, field: 'otpValue' });
    expect(error.message).not.toContain('12 34');
    expect(failure(SendOtpDto, { ...sendOtp, issuerCardRefId: 'x'.repeat(49) }).field).toBe('issuerCardRefId');
  });

  it('refuses a body that is not an object', () => {
    expect(failure(SendOtpDto, [sendOtp])).toMatchObject({ responseCode: 112, field: 'body' });
  });

  it('names nested fields by path', () => {
    expect(failure(D1DeliverOtpDto, { deliveryChannel: 'SMS', otp: { value: 'abc' } })).toMatchObject({ responseCode: 112, field: 'otp.value' });
    expect(failure(D1DeliverOtpDto, { deliveryChannel: 'SMS', otp: { value: '' } })).toMatchObject({ responseCode: 111, field: 'otp.value' });
    expect(failure(D1DeliverOtpDto, { deliveryChannel: 'sms' })).toMatchObject({ responseCode: 111, field: 'otp' });
    expect(validateCallbackBody(D1DeliverOtpDto, { deliveryChannel: 'email', otp: { value: '123456' } }).deliveryChannel).toBe('EMAIL');
  });

  it('accepts unknown virtual card actions and numeric error codes', () => {
    const body = { issuerCardRefId: 'c', virtualCardId: 'v', walletProviderId: 'APPLE_PAY', tokenStorageId: 't', isPrimary: true };
    expect(validateCallbackBody(NotifyVirtualCardChangeDto, { ...body, action: 'REPLACE_SOMETHING', errorCode: 221 }).errorCode).toBe('221');
    expect(failure(NotifyVirtualCardChangeDto, { ...body, action: 'ACTIVATE', isPrimary: 'yes' })).toMatchObject({ responseCode: 112, field: 'isPrimary' });
    expect(failure(NotifyVirtualCardChangeDto, { ...body, isPrimary: undefined, action: 'ACTIVATE' })).toMatchObject({ responseCode: 111, field: 'isPrimary' });
  });

  describe('the code to deliver', () => {
    it('is digits only, 4 to 10, by default (classic otpValue and D1 otp.value alike)', () => {
      for (const otpValue of ['AB123456', '123', '12345678901', '１２３４５６', '123456\n']) {
        expect(failure(SendOtpDto, { ...sendOtp, otpValue })).toMatchObject({ responseCode: 112, field: 'otpValue' });
        expect(failure(D1DeliverOtpDto, { deliveryChannel: 'SMS', otp: { value: otpValue } })).toMatchObject({ responseCode: 112, field: 'otp.value' });
      }
      expect(validateCallbackBody(SendOtpDto, { ...sendOtp, otpValue: '1234567890' }).otpValue).toBe('1234567890');
    });

    it('follows the configured pattern instead', () => {
      const rules = { otpValuePattern: compileOtpValuePattern('[A-Z0-9]{8}')! };
      expect(validateCallbackBody(SendOtpDto, { ...sendOtp, otpValue: 'AB123456' }, rules).otpValue).toBe('AB123456');
      expect(validateCallbackBody(D1DeliverOtpDto, { deliveryChannel: 'SMS', otp: { value: 'AB123456' } }, rules).otp.value).toBe('AB123456');
      expect(() => validateCallbackBody(SendOtpDto, { ...sendOtp, otpValue: '123456' }, rules)).toThrow('Invalid parameter format: otpValue');
    });

    it('is checked after the rest, so a missing field is still named first', () => {
      expect(failure(SendOtpDto, { ...sendOtp, otpValue: 'AB123456', otpMethodId: undefined })).toMatchObject({ responseCode: 111, field: 'otpMethodId' });
    });
  });

  describe('nesting depth', () => {
    const nested = (levels: number) => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`) as unknown;

    it('refuses a body nested deeper than 32 levels, in a known or an unknown field, with 112 naming body', () => {
      expect(failure(SendOtpDto, { ...sendOtp, tokenRequestor: nested(MAX_CALLBACK_BODY_DEPTH) })).toMatchObject({ responseCode: 112, field: 'body' });
      expect(failure(SendOtpDto, { ...sendOtp, someNewField: [nested(MAX_CALLBACK_BODY_DEPTH)] })).toMatchObject({ responseCode: 112, field: 'body' });
      expect(validateCallbackBody(SendOtpDto, { ...sendOtp, tokenRequestor: nested(MAX_CALLBACK_BODY_DEPTH - 1) }).tokenRequestor).toEqual(nested(MAX_CALLBACK_BODY_DEPTH - 1));
    });

    it('refuses a body deep enough to overflow class-transformer, instead of throwing RangeError', () => {
      const deep = nested(5000);
      expect(() => plainToInstance(SendOtpDto, { ...sendOtp, tokenRequestor: deep })).toThrow(RangeError);
      expect(failure(SendOtpDto, { ...sendOtp, tokenRequestor: deep })).toMatchObject({ responseCode: 112, field: 'body' });
      expect(failure(D1DeliverOtpDto, { deliveryChannel: 'SMS', otp: { value: '123456' }, deviceInformation: deep })).toMatchObject({ responseCode: 112, field: 'body' });
    });
  });
});
