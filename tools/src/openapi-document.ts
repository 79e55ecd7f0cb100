import { readFileSync, writeFileSync } from 'node:fs';
import { MAX_PAGE_SIZE } from '@funshop/platform/paging';

/**
 * `node tools/dist/openapi-document.js <document>`, run by scripts/openapi.sh after the generator:
 * what protoc-gen-openapiv2 cannot say about what Envoy serves, added to its document.
 * - Page sizes have bounds. The generator renders a query parameter's pattern from
 *   proto/openapi/options.yaml but drops its minimum and maximum (genopenapi/template.go builds
 *   query parameters without them); the bounds come from the platform's paging.
 * - A request body is required only when its message has required fields: Envoy's transcoder
 *   takes a missing body as an empty message (CancelOrder without a reason, say).
 * - In a request, an optional field may be null: proto3 JSON reads null as the field's default
 *   (`x-nullable`, Swagger 2.0's way to say so). A required field sent as null is absent, and refused.
 */
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { $ref?: string };
  minimum?: number;
  maximum?: number;
}
interface Schema {
  $ref?: string;
  items?: Schema;
  properties?: Record<string, Schema & { 'x-nullable'?: boolean }>;
  required?: string[];
}
interface Document {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
  definitions: Record<string, Schema>;
}

export function completeDocument(document: Document): Document {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query' && parameter.name === 'pageSize') Object.assign(parameter, { minimum: 0, maximum: MAX_PAGE_SIZE });
        if (parameter.in === 'body') {
          const message = definition(document, parameter.schema);
          parameter.required = (message?.required?.length ?? 0) > 0;
          allowNullOptionals(document, message, new Set());
        }
      }
    }
  }
  return document;
}

function definition(document: Document, schema: Schema | undefined): Schema | undefined {
  return schema?.$ref ? document.definitions[schema.$ref.replace('#/definitions/', '')] : undefined;
}

/** Marks the optional fields of a request message, and of the messages inside it, as nullable. */
function allowNullOptionals(document: Document, message: Schema | undefined, seen: Set<Schema>): void {
  if (!message || seen.has(message)) return;
  seen.add(message);
  for (const [name, property] of Object.entries(message.properties ?? {})) {
    if (!message.required?.includes(name)) property['x-nullable'] = true;
    allowNullOptionals(document, definition(document, property) ?? definition(document, property.items), seen);
  }
}

if (require.main === module) {
  const file = process.argv[2];
  writeFileSync(file, `${JSON.stringify(completeDocument(JSON.parse(readFileSync(file, 'utf8'))), null, 2)}\n`);
}
