import { IsDefined, IsString, Length } from 'class-validator';

/**
 * The part of Thales' `requestCardDigitization` body the sample decision uses; every other field
 * (encrypted card data, device and wallet scores, ...) is accepted and ignored here.
 */
export class RequestCardDigitizationDto {
  @IsDefined()
  @IsString()
  @Length(1, 48)
  issuerCardRefId!: string;
}
