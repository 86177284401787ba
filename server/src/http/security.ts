import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers for the API and the app. The policy lets the installed app run as
 * built: its own scripts, styles, service worker, manifest and API; images from itself and
 * data: URLs (icons, QR codes). Nothing is loaded from or sent to another origin, and no
 * CORS headers are sent, so other sites' pages cannot call the API with a tablet's token.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // UI libraries insert <style> elements at run time; inline styles cannot run code.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'worker-src': ["'self'"],
        'manifest-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // Only over HTTPS: on plain http (a laptop demo) it would send the app to an https
        // port nothing listens on.
        ...(options.https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    // HSTS only when this server itself speaks HTTPS; behind a TLS proxy the proxy sets it.
    strictTransportSecurity: options.https ? { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false } : false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
