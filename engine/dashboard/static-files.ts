// The renderer's built files (dist/renderer/): index.html for the app's own paths, assets by name,
// nothing outside the folder.
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { BASE_HEADERS, documentHeaders } from './security.js';
import { PAGES, sendHtml } from './responses.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Where a URL path leads in `root`: a file inside it, or undefined for a path that escapes it.
 * Paths without an extension are the app's own routes and lead to index.html.
 */
export function staticTarget(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = resolve(root);
  if (decoded === '/' || extname(decoded) === '') return join(base, 'index.html');
  const file = resolve(base, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return file.startsWith(base + sep) ? file : undefined;
}

/** Serves one GET/HEAD of the renderer's files from `root`; a missing build gets a page saying how to build it. */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, urlPath: string, port: number): Promise<void> {
  const index = join(root, 'index.html');
  if (!existsSync(index)) return sendHtml(res, 503, PAGES.notBuilt(root), port);
  const file = staticTarget(root, urlPath);
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info?.isFile()) return sendHtml(res, 404, PAGES.notFound, port);
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const doc = type.startsWith('text/html') ? documentHeaders(port) : {};
  res.writeHead(200, { ...BASE_HEADERS, ...doc, 'content-type': type, 'content-length': info.size });
  if (req.method === 'HEAD') return void res.end();
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
