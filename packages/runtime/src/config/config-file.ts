/** Reading a config file: JSON or YAML by extension; every failure names the file (and line). */
import { extname } from "node:path";
import { parseDocument } from "yaml";
import { ConfigError, type ConfigSource } from "./config-error.js";
import { isPlainObject } from "./paths.js";

export const CONFIG_FILE_EXTENSIONS = [".json", ".yaml", ".yml"] as const;

/** A ConfigError about the file as a whole. */
export function configFileError(file: string, rule: string): ConfigError {
  const source: ConfigSource = `file ${file}`;
  return new ConfigError([{ field: "", value: file, rule, source }]);
}

/** The settings in a config file's text; `file` picks the format and names it in errors. */
export function parseConfigText(text: string, file: string): Record<string, unknown> {
  const extension = extname(file).toLowerCase();
  let parsed: unknown;
  if (extension === ".json") parsed = parseJson(text, file);
  else if (extension === ".yaml" || extension === ".yml") parsed = parseYaml(text, file);
  else {
    throw configFileError(
      file,
      `cannot tell its format from the extension "${extension}"; use ${CONFIG_FILE_EXTENSIONS.join(", ")}`,
    );
  }
  if (parsed === null || parsed === undefined) return {}; // an empty YAML file: all defaults
  if (!isPlainObject(parsed)) {
    const got = Array.isArray(parsed) ? "a list" : JSON.stringify(parsed);
    throw configFileError(file, `must hold a mapping of settings at the top, got ${got}`);
  }
  return parsed;
}

/** Reads and parses the file; an unreadable file is a ConfigError naming it. */
export function readConfigFile(
  file: string,
  readFile: (path: string) => string,
): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw configFileError(
      file,
      `cannot read it: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseConfigText(text, file);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const { line, column } = lineAndColumn(text, jsonErrorOffset(text));
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw configFileError(file, `malformed JSON at line ${line}, column ${column}: ${reason}`);
  }
}

function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text);
  const [first] = document.errors;
  if (first) {
    const reason = (first.message.split("\n")[0] ?? "").replace(/:$/, "");
    const at = first.linePos?.[0];
    const where =
      at && !reason.includes(" at line ") ? ` at line ${at.line}, column ${at.col}` : "";
    throw configFileError(file, `malformed YAML${where}: ${reason}`);
  }
  return document.toJS();
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split("\n");
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * Where JSON text first goes wrong (Node's JSON.parse does not always say): a small
 * recursive-descent reader of the JSON grammar that stops at the first unexpected character.
 */
export function jsonErrorOffset(text: string): number {
  let at = 0;
  const stop = (): never => {
    throw new JsonStop(at);
  };
  const skipSpace = () => {
    while (at < text.length && " \t\n\r".includes(text.charAt(at))) at++;
  };
  const readString = () => {
    at++;
    while (at < text.length) {
      const char = text.charAt(at);
      if (char === '"') {
        at++;
        return;
      }
      if (char < " ") stop();
      at += char === "\\" ? 2 : 1;
    }
    stop();
  };
  const readMember = () => {
    skipSpace();
    if (text.charAt(at) !== '"') stop();
    readString();
    skipSpace();
    if (text.charAt(at) !== ":") stop();
    at++;
    readValue();
  };
  const readValue = (): void => {
    skipSpace();
    const char = text.charAt(at);
    if (char === "{") readSequence("}", readMember);
    else if (char === "[") readSequence("]", readValue);
    else if (char === '"') readString();
    else {
      LITERAL.lastIndex = at;
      if (!LITERAL.exec(text)) stop();
      at = LITERAL.lastIndex;
    }
  };
  const readSequence = (close: string, readItem: () => void): void => {
    at++;
    skipSpace();
    if (text.charAt(at) === close) {
      at++;
      return;
    }
    for (;;) {
      readItem();
      skipSpace();
      const char = text.charAt(at);
      at++;
      if (char === close) return;
      if (char !== ",") {
        at--;
        stop();
      }
    }
  };
  try {
    readValue();
    skipSpace();
    if (at < text.length) stop();
    return text.length;
  } catch (error) {
    if (error instanceof JsonStop) return error.offset;
    throw error;
  }
}

class JsonStop {
  constructor(readonly offset: number) {}
}
