import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { RequestListener } from 'node:http';
import type { Config } from '../config.js';

/**
 * The listening server for the app: HTTPS when TLS_CERT and TLS_KEY are set (a service
 * worker, and so the installed app, only runs on https:// or localhost), HTTP otherwise.
 */
export async function createServer(app: RequestListener, config: Pick<Config, 'tls'>): Promise<http.Server> {
  const server = config.tls
    ? https.createServer({ cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) }, app)
    : http.createServer(app);
  // A client gets this long to send its headers and its whole request (slow-loris); how long
  // we take to answer is the request timeout's business, and the event stream's answer never ends.
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 65_000;
  return server;
}
