import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { OtpDeliveryModule } from '../../otp-delivery.module.js';
import { ClassicCallbacksController } from '../classic-callbacks.controller.js';
import { SendOtpDto } from '../dto/send-otp.dto.js';
import { CardholderContactResolver } from '../cardholder-contact-resolver.interface.js';
import { ApiProperty } from './swagger-decorators.js';
import { applyOtpDeliveryOpenApi } from './openapi-metadata.js';

// swagger's metadata keys (its `DECORATORS` constants, not exported by the package).
const MODEL_PROPERTIES = 'swagger/apiModelPropertiesArray';
const OPERATION = 'swagger/apiOperation';

const propertiesOf = (type: { prototype: object }): unknown => Reflect.getMetadata(MODEL_PROPERTIES, type.prototype);
const operationOf = (method: object): unknown => Reflect.getMetadata(OPERATION, method);

/**
 * The library's OpenAPI decorators wait for `applyOtpDeliveryOpenApi()`. Jest gives each test file
 * its own module registry, so nothing has applied them when this file starts; the order of the
 * tests below matters.
 */
describe('the callbacks OpenAPI metadata, applied on demand', () => {
  it("is not applied by a module set up with openApi: 'on-demand'", async () => {
    const module = await Test.createTestingModule({
      imports: [
        OtpDeliveryModule.forRoot({
          openApi: 'on-demand',
          callbacks: { classic: true },
          tokenization: { issuerId: 'ISSUER0001', auth: { mode: 'none' } },
          extraProviders: [{ provide: CardholderContactResolver, useValue: { resolveByCard: async () => null, resolveByConsumer: async () => null } }],
        }),
      ],
    }).compile();
    await module.close();
    expect(propertiesOf(SendOtpDto)).toBeUndefined();
    expect(operationOf(ClassicCallbacksController.prototype.sendOtp)).toBeUndefined();
  });

  it('is applied, as written, by applyOtpDeliveryOpenApi(), once however often it is called', () => {
    expect(applyOtpDeliveryOpenApi()).toBe(true);
    expect(applyOtpDeliveryOpenApi()).toBe(true);
    expect(propertiesOf(SendOtpDto)).toEqual(expect.arrayContaining([':issuerCardRefId', ':otpValue', ':otpMethodId']));
    // Each property once: applying twice would list them twice.
    expect(new Set(propertiesOf(SendOtpDto) as string[]).size).toBe((propertiesOf(SendOtpDto) as string[]).length);
    expect(operationOf(ClassicCallbacksController.prototype.sendOtp)).toMatchObject({ summary: expect.any(String) });
  });

  it('applies a decorator written afterwards at once', () => {
    class LateDto {
      @ApiProperty({ description: 'late' })
      late!: string;
    }
    expect(propertiesOf(LateDto)).toEqual([':late']);
  });
});
