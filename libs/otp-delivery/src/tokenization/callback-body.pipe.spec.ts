import { validateCallbackBody } from './callback-body.pipe.js';
import { CallbackValidationError } from './errors/callback-validation.error.js';
import { SendOtpDto } from './dto/send-otp.dto.js';
import { NotifyVirtualCardChangeDto } from './dto/notify-virtual-card-change.dto.js';
import { D1DeliverOtpDto } from './dto/d1-deliver-otp.dto.js';

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
    expect(failure(D1DeliverOtpDto, { deliveryChannel: 'sms' })).toMatchObject({ responseCode: 111, field: 'otp' });
    expect(validateCallbackBody(D1DeliverOtpDto, { deliveryChannel: 'email', otp: { value: '123456' } }).deliveryChannel).toBe('EMAIL');
  });

  it('accepts unknown virtual card actions and numeric error codes', () => {
    const body = { issuerCardRefId: 'c', virtualCardId: 'v', walletProviderId: 'APPLE_PAY', tokenStorageId: 't', isPrimary: true };
    expect(validateCallbackBody(NotifyVirtualCardChangeDto, { ...body, action: 'REPLACE_SOMETHING', errorCode: 221 }).errorCode).toBe('221');
    expect(failure(NotifyVirtualCardChangeDto, { ...body, action: 'ACTIVATE', isPrimary: 'yes' })).toMatchObject({ responseCode: 112, field: 'isPrimary' });
    expect(failure(NotifyVirtualCardChangeDto, { ...body, isPrimary: undefined, action: 'ACTIVATE' })).toMatchObject({ responseCode: 111, field: 'isPrimary' });
  });
});
