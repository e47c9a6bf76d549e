import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The core decides; it never reads the world. This test walks the syntax tree of every
// non-test source file under packages/core/src and names each forbidden use it finds.
const srcDir = new URL(".", import.meta.url).pathname;
const isShippedSource = (file: string) => file.endsWith(".ts") && !/\.(test|bench)\.ts$/.test(file);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return isShippedSource(entry.name) ? [path] : [];
  });
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isBuiltin = (specifier: string) => specifier.startsWith("node:") || builtins.has(specifier);

/** Forbidden uses in one file's text, each as "line: what". */
export function findImpurities(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${line + 1}: ${what}`);
  };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      isBuiltin(node.moduleSpecifier.text)
    ) {
      report(node, `imports the Node built-in "${node.moduleSpecifier.text}"`);
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const [first] = node.arguments;
      if (
        (callee.kind === ts.SyntaxKind.ImportKeyword ||
          (ts.isIdentifier(callee) && callee.text === "require")) &&
        first &&
        ts.isStringLiteral(first) &&
        isBuiltin(first.text)
      ) {
        report(node, `loads the Node built-in "${first.text}"`);
      }
      if (ts.isIdentifier(callee) && callee.text === "fetch") report(node, "calls fetch (network)");
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const access = `${node.expression.text}.${node.name.text}`;
      if (
        [
          "Date.now",
          "Math.random",
          "performance.now",
          "process.env",
          "crypto.getRandomValues",
          "crypto.randomUUID",
        ].includes(access)
      ) {
        report(node, `uses ${access}`);
      }
    }
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "Date" &&
      (node.arguments?.length ?? 0) === 0
    ) {
      report(node, "uses new Date() without an argument (the wall clock)");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the core is pure", () => {
  it("no shipped file under packages/core/src imports a Node built-in or reads clock, randomness or environment", () => {
    const problems = sourceFiles(srcDir).flatMap((file) =>
      findImpurities(file, readFileSync(file, "utf8")).map(
        (finding) => `${relative(srcDir, file)}:${finding}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it("the checker itself finds each forbidden use", () => {
    const offending = [
      'import { readFileSync } from "node:fs";',
      'import os from "os";',
      "const t = Date.now();",
      "const d = new Date();",
      "const r = Math.random();",
      "const p = performance.now();",
      "const e = process.env.HOME;",
      'const m = await import("node:net");',
      'fetch("http://example.com");',
      "const ok = new Date(0);",
    ].join("\n");
    expect(findImpurities("sample.ts", offending)).toEqual([
      '1: imports the Node built-in "node:fs"',
      '2: imports the Node built-in "os"',
      "3: uses Date.now",
      "4: uses new Date() without an argument (the wall clock)",
      "5: uses Math.random",
      "6: uses performance.now",
      "7: uses process.env",
      '8: loads the Node built-in "node:net"',
      "9: calls fetch (network)",
    ]);
  });
});
