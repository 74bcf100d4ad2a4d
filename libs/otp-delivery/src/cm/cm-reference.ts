/** CM's `reference` of a message: 1 to 32 alphanumeric characters, echoed in its answers and status reports. */
export const CM_REFERENCE = /^[A-Za-z0-9]{1,32}$/;
