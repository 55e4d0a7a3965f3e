// How the dashboard answers: JSON for its API, short self-contained HTML pages for documents it
// refuses or cannot serve, each with the base security headers (and never a CORS header).
import type { ServerResponse } from 'node:http';
import { errorMessage, isEngineUnreachable, KubelabError } from '../errors.js';
import type { ApiError } from './contract.js';
import { BASE_HEADERS, documentHeaders } from './security.js';

/** Answers `body` as JSON with `code`. */
export function sendJson(res: ServerResponse, code: number, body: unknown, extra: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(code, { ...BASE_HEADERS, ...extra, 'content-type': 'application/json; charset=utf-8', 'content-length': data.length });
  res.end(data);
}

/**
 * The HTTP answer for an error the engine threw: 503 when Docker is unreachable, 404 for a cluster
 * that does not exist, 409 for any other refusal of the engine (busy, wrong state), 500 otherwise.
 */
export function errorStatus(err: unknown): { code: number } & ApiError {
  const e = err instanceof KubelabError ? err : undefined;
  const body: ApiError = { error: errorMessage(err) };
  if (e?.hint) body.hint = e.hint;
  if (isEngineUnreachable(err) || body.error.startsWith('cannot reach a Docker engine')) return { code: 503, ...body };
  if (!e) return { code: 500, ...body };
  if (/does not exist|not found|no node named/.test(body.error)) return { code: 404, ...body };
  return { code: e.exitCode === 2 ? 400 : 409, ...body };
}

/** Answers an API error. */
export function sendError(res: ServerResponse, code: number, error: string, hint?: string, extra: Record<string, string> = {}): void {
  const body: ApiError = hint ? { error, hint } : { error };
  sendJson(res, code, body, extra);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A short HTML page (no scripts, no external resources) with a title and a few paragraphs; `code` spans show as code. */
export function htmlPage(title: string, paragraphs: string[]): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`).join('\n');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)} · kubelab</title>`,
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    body,
    '</body></html>',
    '',
  ].join('\n');
}

/** Answers an HTML document with the document security headers. */
export function sendHtml(res: ServerResponse, code: number, html: string, port: number, extra: Record<string, string> = {}): void {
  const data = Buffer.from(html);
  res.writeHead(code, { ...BASE_HEADERS, ...documentHeaders(port), ...extra, 'content-type': 'text/html; charset=utf-8', 'content-length': data.length });
  res.end(data);
}

/** The pages the dashboard shows instead of the app. */
export const PAGES = {
  tokenUsed: htmlPage('This link was already used', [
    'A dashboard link works once: it has been opened already, in this browser or another one.',
    'Run `kubelab dashboard` again and open the new link it prints.',
  ]),
  tokenInvalid: htmlPage('Wrong dashboard link', ['This link does not belong to the running dashboard.', 'Run `kubelab dashboard` again and open the new link it prints.']),
  signedOut: htmlPage('Open the dashboard through its link', [
    'This page needs the session that the dashboard link starts.',
    'Open the link `kubelab dashboard` printed (it works once), or run `kubelab dashboard` again for a new one.',
  ]),
  forbiddenHost: htmlPage('Refused', ['The dashboard answers only as 127.0.0.1 or localhost on its own port.']),
  forbiddenOrigin: htmlPage('Refused', ['The dashboard answers only requests from its own pages.']),
  notBuilt: (dir: string) =>
    htmlPage('The dashboard UI is not built', [
      `The dashboard server runs, but its UI is missing from ${dir}.`,
      'Build it in the kubelab folder with `npm run build`, then run `kubelab dashboard` again.',
    ]),
  notFound: htmlPage('Not found', ['There is nothing at this address.']),
};
