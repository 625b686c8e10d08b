import recorded from './examples.json' with { type: 'json' };

/**
 * One recorded exchange per operation of the public API (keyed `GET /v2.0/vehicles/{id}`), made against
 * a simulated platform by packages/api/test/openapi-examples.test.ts, which also keeps this file true:
 * ids, tokens and secrets are replaced by fixed placeholders, everything else is what the API answered.
 */
export interface OperationExample {
  request: {
    /** Which credential the call carries (see the reference's Authentication section). */
    auth: string;
    path?: Record<string, string>;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    contentType?: string;
    body?: unknown;
  };
  response: { status: number; contentType?: string; headers?: Record<string, string>; body?: unknown };
}

export type OperationExamples = Record<string, OperationExample>;

export const OPERATION_EXAMPLES = recorded as unknown as OperationExamples;

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * Adds the recorded examples to an OpenAPI document: parameter values, the request body, and the response
 * under its status (declared there when the route's schema did not list it). `x-example-auth` names the
 * credential the example call carried, `x-example-status` the status it got.
 */
export function withExamples(doc: Json, examples: OperationExamples = OPERATION_EXAMPLES): Json {
  const paths = (doc.paths ?? {}) as Record<string, Json>;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      const ex = examples[`${method.toUpperCase()} ${path}`];
      if (!op || !ex) continue;
      const { request, response } = ex;
      op['x-example-auth'] = request.auth;
      op['x-example-status'] = response.status;
      op.parameters = ((op.parameters ?? []) as Json[]).map((p) => {
        const value = p.in === 'path' ? request.path?.[String(p.name)] : p.in === 'query' ? request.query?.[String(p.name)] : p.in === 'header' ? request.headers?.[String(p.name)] : undefined;
        return value === undefined ? p : { ...p, example: value };
      });
      const declared = new Set(((op.parameters ?? []) as Json[]).map((p) => `${String(p.in)}:${String(p.name)}`));
      for (const [name, value] of Object.entries(request.query ?? {})) {
        if (!declared.has(`query:${name}`)) (op.parameters as Json[]).push({ name, in: 'query', required: false, schema: { type: 'string' }, example: value });
      }
      for (const [name, value] of Object.entries(request.headers ?? {})) {
        if (!declared.has(`header:${name}`)) (op.parameters as Json[]).push({ name, in: 'header', required: false, schema: { type: 'string' }, example: value });
      }
      if (request.body !== undefined && request.contentType) {
        const rb = (op.requestBody ?? { content: {} }) as { content?: Record<string, Json> };
        const content = rb.content ?? {};
        const media = content[request.contentType] ?? Object.values(content)[0] ?? {};
        op.requestBody = { ...rb, content: { ...content, [request.contentType]: { ...media, example: request.body } } };
      }
      const responses = (op.responses ?? {}) as Record<string, Json>;
      const status = String(response.status);
      const declaredResponse = responses[status] ?? { description: response.status < 400 ? 'Success' : 'Error' };
      if (response.body !== undefined && response.contentType) {
        const content = (declaredResponse.content ?? {}) as Record<string, Json>;
        const media = content[response.contentType] ?? Object.values(content)[0] ?? {};
        declaredResponse.content = { ...content, [response.contentType]: { ...media, example: response.body } };
      }
      if (response.headers) {
        const headers = (declaredResponse.headers ?? {}) as Record<string, Json>;
        for (const [name, value] of Object.entries(response.headers)) headers[name] = { ...(headers[name] ?? {}), schema: { type: 'string' }, example: value };
        declaredResponse.headers = headers;
      }
      op.responses = { ...responses, [status]: declaredResponse };
    }
  }
  return doc;
}
