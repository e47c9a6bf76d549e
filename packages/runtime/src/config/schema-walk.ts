/**
 * Reading the structure of a zod schema: which keys an object knows, what a record or a list
 * holds, which variant of a tagged union a value picks. Used to find unknown keys at any depth
 * (the core's schemas strip them silently) and to generate the reference documentation.
 */
import type { z } from "zod";

type Schema = z.core.$ZodType;

interface WrapperDef {
  readonly type: string;
  readonly innerType?: Schema;
  readonly in?: Schema;
}

const WRAPPERS = new Set([
  "default",
  "prefault",
  "optional",
  "nullable",
  "readonly",
  "catch",
  "nonoptional",
]);

/** The schema under defaults, optionals and pipes (the input side of a pipe). */
export function unwrapSchema(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const def = current._zod.def as WrapperDef;
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

export type SchemaNode =
  | { readonly kind: "object"; readonly shape: Readonly<Record<string, Schema>> }
  | { readonly kind: "record"; readonly value: Schema }
  | { readonly kind: "array"; readonly element: Schema }
  | {
      readonly kind: "variants";
      readonly discriminator: string;
      readonly variants: readonly { readonly tag: string; readonly schema: Schema }[];
    }
  | { readonly kind: "leaf"; readonly schema: Schema };

/** What a schema is, structurally, once its wrappers are removed. */
export function schemaNode(schema: Schema): SchemaNode {
  const inner = unwrapSchema(schema);
  const def = inner._zod.def;
  switch (def.type) {
    case "object":
      return { kind: "object", shape: (def as z.core.$ZodObjectDef).shape };
    case "record":
      return { kind: "record", value: (def as z.core.$ZodRecordDef).valueType };
    case "array":
      return { kind: "array", element: (def as z.core.$ZodArrayDef).element };
    case "union": {
      const union = def as Partial<z.core.$ZodDiscriminatedUnionDef>;
      if (!union.discriminator || !union.options) return { kind: "leaf", schema: inner };
      const discriminator = union.discriminator;
      const variants = union.options.map((option) => {
        const node = schemaNode(option);
        const tagSchema = node.kind === "object" ? node.shape[discriminator] : undefined;
        const tagDef =
          tagSchema && (unwrapSchema(tagSchema)._zod.def as z.core.$ZodLiteralDef<string>);
        return { tag: String(tagDef?.values?.[0]), schema: option };
      });
      return { kind: "variants", discriminator, variants };
    }
    default:
      return { kind: "leaf", schema: inner };
  }
}
