import type { FastifyRouteSchemaDef } from 'fastify/types/schema';
import fastJson from 'fast-json-stringify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * The route's zod response schema as fast-json-stringify wants it: JSON Schema (draft 7, the
 * output side), `X | null` as a type list rather than anyOf (whose branch fast-json-stringify
 * picks by validating every value), and no string formats (a `date` format would make it
 * format Date objects; the values here are already text).
 */
export function serializableSchema(schema: z.ZodType): JsonSchema {
  return simplify(z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'any' })) as JsonSchema;
}

function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node as JsonSchema)) if (key !== 'format' && key !== 'pattern') out[key] = simplify(value);
  const anyOf = out.anyOf as JsonSchema[] | undefined;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const other = anyOf.find((branch) => branch.type !== 'null');
    if (other && anyOf.some((branch) => branch.type === 'null' && Object.keys(branch).length === 1) && typeof other.type === 'string') {
      delete out.anyOf;
      return { ...out, ...other, type: [other.type, 'null'] };
    }
  }
  return out;
}

/**
 * A serializer compiler for the big reads (issue 20: the households list): the 2xx answer is
 * written by fast-json-stringify compiled from the route's zod schema, instead of a zod parse
 * of the whole answer and then JSON.stringify. The schema still decides the shape: only its
 * fields are written, in its order, and a missing required field throws (a 500, as the zod check
 * gave). Other statuses (problem details) keep the zod serializer.
 */
export function compiledSerializerCompiler<S>(route: FastifyRouteSchemaDef<S>): (data: unknown) => string {
  // eslint-disable-next-line no-restricted-syntax -- adapter boundary: fastify types a route's compiler by the whole route schema; it is called with one response's zod schema
  const zodRoute = route as unknown as FastifyRouteSchemaDef<z.ZodType>;
  if (!/^2/.test(String(route.httpStatus))) return serializerCompiler(zodRoute);
  return compiledSerializer(zodRoute.schema);
}

/**
 * Writers by response schema: the schemas are module constants, so a process that builds the app
 * more than once (a test worker builds one per file) compiles each of them once, not per app
 * (about 20 ms of each app's start).
 */
const writers = new WeakMap<z.ZodType, (data: unknown) => string>();

/** The writer `compiledSerializerCompiler` gives a 2xx answer, for a route that serializes its answer itself (a cached one). */
export function compiledSerializer<S extends z.ZodType>(schema: S): (data: z.output<S>) => string {
  const known = writers.get(schema);
  if (known) return known;
  // eslint-disable-next-line no-restricted-syntax -- adapter boundary: zod's JSON Schema output is plain JSON; fast-json-stringify's input type is its own union of schema shapes
  const write = fastJson(serializableSchema(schema) as unknown as Parameters<typeof fastJson>[0]);
  const writer = (data: unknown) => String(write(data));
  writers.set(schema, writer);
  return writer;
}
