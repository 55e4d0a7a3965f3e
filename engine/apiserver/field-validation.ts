// fieldValidation (Strict, Warn, Ignore) for fields an object's type does not know.
import { unknownObjectFields } from '../api/validation.js';
import type { RequestContext } from './context.js';
import { badRequest } from './status.js';

/**
 * Applies fieldValidation to fields the type does not know: Strict rejects them (400), Warn (the
 * default) answers with a Warning header, Ignore says nothing. Unknown fields are never stored.
 */
export function checkUnknownFields(ctx: RequestContext, obj: Record<string, unknown>): void {
  const mode = ctx.query.get('fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(mode)) throw badRequest(`fieldValidation must be Strict, Warn or Ignore, not "${mode}"`);
  const unknown = unknownObjectFields(ctx.type, obj, mode !== 'Strict');
  if (unknown.length === 0) return;
  if (mode === 'Strict') throw badRequest(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  if (mode === 'Warn') ctx.res.setHeader('Warning', unknown.slice(0, 20).map((f) => warning(`unknown field ${JSON.stringify(f)}`)));
}

/** A Warning header value (RFC 7234 warn-code 299): quoted, with anything but printable ASCII escaped. */
function warning(text: string): string {
  const safe = text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `299 - "${safe}"`;
}
