/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with, so the
 * document cannot drift from what the server accepts.
 */
import { z } from 'zod';
import { ENDPOINTS, type Endpoint, PROTOCOL_VERSION, Problem } from '../shared/sync/protocol';

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] } & Record<
  string,
  unknown
>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input');
  return Object.entries(js.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: prop,
  }));
}

function operation(name: string, e: Endpoint) {
  const problem = {
    content: { 'application/problem+json': { schema: jsonSchema(Problem, 'output') } },
  };
  return {
    operationId: name,
    summary: e.summary,
    security: e.auth === 'none' ? [] : [{ deviceToken: [] }],
    parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
    ...(e.body === 'bundle'
      ? {
          requestBody: {
            required: true,
            content: {
              'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
            },
          },
        }
      : e.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(e.body, 'input') } },
            },
          }
        : {}),
    responses: {
      [String(e.status)]: e.response
        ? {
            description: 'Success',
            content: { 'application/json': { schema: jsonSchema(e.response, 'output') } },
          }
        : { description: 'Success' },
      default: { description: 'A problem, explained in `detail`', ...problem },
    },
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, e] of Object.entries(ENDPOINTS) as [string, Endpoint][]) {
    const path = e.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[e.method.toLowerCase()] = operation(name, e);
  }
  paths['/v1/openapi.json'] = {
    get: {
      operationId: 'openapi',
      summary: 'This document',
      security: [],
      responses: { '200': { description: 'OpenAPI 3.1' } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'KAT Chart clinic sync server',
      version: `protocol ${PROTOCOL_VERSION}`,
      description:
        'Zero-knowledge store of end-to-end encrypted, device-signed bundles. Bundle byte layout: ' +
        'shared/sync/README.md.',
    },
    components: {
      securitySchemes: {
        deviceToken: {
          type: 'http',
          scheme: 'bearer',
          description: '`<deviceId>.<secret>` from enrollment',
        },
      },
    },
    paths,
  };
}
