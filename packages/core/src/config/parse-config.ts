import { z } from "zod";

/**
 * Parses a (partial) config with its schema, filling defaults. Throws a RangeError that names
 * the config and lists each bad field with its rule, so a bad value is fixable from the message.
 */
export function parseConfig<Schema extends z.ZodType>(
  name: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new RangeError(`${name} config is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
