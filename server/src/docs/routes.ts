import { createRequire } from 'node:module';
import path from 'node:path';
import { openApiDocument } from '@chit/shared/openapi';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);

/** Swagger UI's files from its npm package: served by us, so the page loads nothing from elsewhere (CSP 'self'). */
const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

// No inline script: the CSP allows scripts from this origin only.
const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Chit API</title>
    <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

const init = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/**
 * `GET /api/openapi.json`, generated from the shared zod schemas once per process, and the
 * reference page at `/api/docs`. Public: the API's shape is no secret, and every call the
 * page makes still needs a device token.
 */
export function docsRoutes(version: string): Router {
  const router = Router();
  let document: string | undefined;
  router.get('/openapi.json', (_req, res) => {
    document ??= JSON.stringify(openApiDocument({ version }));
    res.type('application/json').send(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('text/javascript').send(init);
  });
  router.use('/docs/assets', express.static(swaggerUiDir, { index: false }));
  return router;
}
