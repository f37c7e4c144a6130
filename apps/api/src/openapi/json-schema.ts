import { ZodType, ZodTypeDef } from 'zod';
import { ignoreOverride, zodToJsonSchema } from 'zod-to-json-schema';

export type JsonSchema = Record<string, unknown>;
/** Any zod schema, whatever it parses to. */
export type AnySchema = ZodType<unknown, ZodTypeDef, unknown>;

/**
 * The JSON Schema (the 2020-12 dialect OpenAPI 3.1 uses) of a zod schema: of what it
 * accepts (`input`, for parameters and bodies, before transforms and defaults) or of what it
 * describes (`output`, for answers). Inlined, without $refs, so it can sit anywhere in the document.
 */
export function jsonSchemaOf(schema: AnySchema, io: 'input' | 'output'): JsonSchema {
  const converted = zodToJsonSchema(schema, {
    target: 'jsonSchema7',
    $refStrategy: 'none',
    // Refinements describe their inner schema; answers are described without transforms.
    effectStrategy: 'input',
    pipeStrategy: io,
    removeAdditionalStrategy: 'passthrough',
    allowedAdditionalProperties: undefined,
    rejectedAdditionalProperties: undefined,
    // A lazy schema is where a schema nests itself (an alert rule's all/any conditions): inlined, it
    // would never end, so the nested part is left open and says so.
    override: (def) =>
      (def as { typeName?: string }).typeName === 'ZodLazy' ? { description: 'nested: the same schema as its parent' } : ignoreOverride,
  }) as JsonSchema;
  delete converted.$schema;
  return withPrefixItems(converted) as JsonSchema;
}

/** Draft 7 writes a tuple as `items: [...]`; 2020-12 as `prefixItems`, with `items` for the rest. */
function withPrefixItems(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withPrefixItems);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node as Record<string, unknown>).map(([key, value]) => [key, withPrefixItems(value)] as const);
  const schema = Object.fromEntries(entries);
  if (Array.isArray(schema.items)) {
    schema.prefixItems = schema.items;
    delete schema.items;
    if ('additionalItems' in schema) {
      schema.items = schema.additionalItems;
      delete schema.additionalItems;
    }
  }
  return schema;
}
