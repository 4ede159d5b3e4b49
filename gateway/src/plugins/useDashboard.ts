import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Logger } from '@greenpoints/common';
import { documentId } from '../documents/manifest.ts';

export const DASHBOARD_PATH = '/dashboard';

const dir = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const ENTRY = dir('dashboard/src/main.ts');
const DOCUMENT = dir('documents/dashboard/Analytics.graphql');

/**
 * Same origin only: scripts and styles from the gateway itself (ECharts' SVG renderer writes style
 * attributes, hence 'unsafe-inline' for styles alone), data only from /graphql, never framed.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-cache' };

/**
 * The page's script: dashboard/src bundled with ECharts from node_modules by esbuild, once, on the
 * first request (no CDN, nothing to build before `npm start`). The trusted document's id is compiled
 * in, so the page sends `{"documentId": …}` like any trusted client.
 */
async function bundle(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    define: { ANALYTICS_DOCUMENT_ID: JSON.stringify(documentId(readFileSync(DOCUMENT, 'utf8').trim())) },
  });
  return result.outputFiles[0]!.text;
}

/** Serves the analysts' dashboard: /dashboard (the page), /dashboard/app.js and /dashboard/app.css. */
export function useDashboard(log: Logger): GatewayPlugin {
  const html = readFileSync(dir('dashboard/index.html'), 'utf8');
  const css = readFileSync(dir('dashboard/app.css'), 'utf8');
  let script: Promise<string> | undefined;
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== DASHBOARD_PATH && !url.pathname.startsWith(`${DASHBOARD_PATH}/`)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new Response('Method Not Allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      switch (url.pathname) {
        case DASHBOARD_PATH:
        case `${DASHBOARD_PATH}/`:
          endResponse(new Response(html, { headers: { ...HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP } }));
          return;
        case `${DASHBOARD_PATH}/app.css`:
          endResponse(new Response(css, { headers: { ...HEADERS, 'content-type': 'text/css; charset=utf-8' } }));
          return;
        case `${DASHBOARD_PATH}/app.js`:
          try {
            script ??= bundle();
            endResponse(new Response(await script, { headers: { ...HEADERS, 'content-type': 'text/javascript; charset=utf-8' } }));
          } catch (error) {
            script = undefined;
            log.error({ err: error }, 'could not build the dashboard script');
            endResponse(new Response('Internal Server Error', { status: 500 }));
          }
          return;
        default:
          endResponse(new Response('Not Found', { status: 404 }));
      }
    },
  };
}
