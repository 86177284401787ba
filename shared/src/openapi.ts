import { z } from 'zod';
import { ErrorBody } from './errors.js';
import { headers } from './http.js';
import { deviceHeaders, deviceRoutes } from './openapi/devices.js';
import { menuRoutes } from './openapi/menu.js';
import { orderRoutes } from './openapi/orders.js';
import type { ApiRoute } from './openapi/route.js';

export type { ApiRoute } from './openapi/route.js';

/**
 * The HTTP API as data: each route with the shared schemas of what it reads and answers
 * (one file per part of the API under openapi/). The OpenAPI document
 * (`GET /api/openapi.json`) is generated from it; nothing in it is a copy of a schema. A
 * server test checks that every route the app mounts is listed here and that real answers
 * validate against the document.
 */
export const apiRoutes: ApiRoute[] = [...deviceRoutes, ...menuRoutes, ...orderRoutes];

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // Transforms (a pairing code's normalisation) have no JSON Schema: described by their input.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

const toOpenApiPath = (path: string) => `/api${path.replace(/:(\w+)/g, '{$1}')}`;

function who(roles: ApiRoute['roles']): string {
  if (roles === 'public') return 'No token needed.';
  if (roles === 'any') return 'Any paired device.';
  return `Devices with role ${[...roles, ...(roles.includes('manager') ? [] : ['manager'])].join(' or ')}.`;
}

/** The OpenAPI 3.1 document of the API. */
export function openApiDocument(info: { version: string; serverUrl?: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of apiRoutes) {
    const parameters: unknown[] = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (route.query) {
      const query = jsonSchema(route.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
      }
    }
    if (route.method !== 'get') {
      parameters.push({
        name: headers.idempotencyKey,
        in: 'header',
        required: route.path !== '/pair',
        description: 'Unique per write; a retry with the same key gets the first answer again.',
        schema: { type: 'string', maxLength: 255 },
      });
    }
    if (route.roles !== 'public') parameters.push(...deviceHeaders);
    if (route.ifMatch) {
      parameters.push({
        name: headers.ifMatch,
        in: 'header',
        required: false,
        description: "The item's ETag: the write is refused (412) if the item changed since.",
        schema: { type: 'string' },
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries(route.responses)) {
      responses[status] = {
        description: answer.description,
        content: { [answer.contentType ?? 'application/json']: { schema: jsonSchema(answer.schema, 'output') } },
      };
    }
    responses.default = {
      description: 'An error: the code is one of shared/src/errors.ts, the message is for a person',
      content: { 'application/json': { schema: jsonSchema(ErrorBody, 'output') } },
    };
    (paths[toOpenApiPath(route.path)] ??= {})[route.method] = {
      operationId: `${route.method}${route.path.replace(/[/:-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      description: who(route.roles),
      tags: [route.tag],
      ...(route.roles === 'public' ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: !route.bodyOptional,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chit API',
      version: info.version,
      description:
        'The HTTP API of Chit, an offline-first restaurant ordering system. Generated from the zod schemas in shared/.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    components: {
      securitySchemes: { device: { type: 'http', scheme: 'bearer', description: 'The device token from pairing.' } },
    },
    security: [{ device: [] }],
    paths,
  };
}
