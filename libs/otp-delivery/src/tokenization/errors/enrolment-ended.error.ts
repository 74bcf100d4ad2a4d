/**
 * A `DELETE` (or `DELETE_FROM_APP`) of the enrolment this `sendOTP` belongs to came first: the
 * step-up stopped, so nothing is sent. Answered as Thales `911`, as a delivery the `DELETE` cancelled.
 */
export class EnrolmentEndedError extends Error {
  override readonly name = 'EnrolmentEndedError';

  constructor() {
    super('The enrolment was deleted: its step-up stopped');
  }
}
