/** One reason an object is invalid, on one field (Kubernetes' StatusCause). */
export interface FieldError {
  reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueTooLong' | 'FieldValueForbidden' | 'FieldValueDuplicate' | 'FieldValueNotSupported' | 'FieldValueTypeInvalid' | 'FieldValueNotFound';
  field: string;
  message: string;
}

/** FieldValueInvalid with kubectl's usual wording. */
export const invalidValue = (field: string, value: unknown, why: string): FieldError => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
});

/** FieldValueRequired. */
export const required = (field: string, what = ''): FieldError => ({ reason: 'FieldValueRequired', field, message: `Required value${what ? `: ${what}` : ''}` });

/** FieldValueForbidden. */
export const forbiddenValue = (field: string, why: string): FieldError => ({ reason: 'FieldValueForbidden', field, message: `Forbidden: ${why}` });

/** FieldValueNotSupported, listing the values that are. */
export const notSupported = (field: string, value: unknown, allowed: string[]): FieldError => ({
  reason: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
});
