import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { ProjectProblem, SourceLocation } from './model.ts';

/** A segment of a path into a document, as in ajv's instancePath: a map key or a list index. */
export type PathSegment = string | number;

/**
 * One parsed YAML file that remembers where every node came from, so that schema and
 * reference problems can name the exact line and column.
 */
export interface YamlFile {
  /** Path relative to the project root, as problems print it. */
  readonly file: string;
  /** The plain data, or undefined when the file has syntax errors. */
  readonly value: unknown;
  /** Syntax errors, located. */
  readonly problems: readonly ProjectProblem[];
  /** Where the value at `path` starts; falls back to the nearest ancestor that exists. */
  valueAt(path: readonly PathSegment[]): SourceLocation;
  /** Where the key naming `path`'s last segment starts (the value's position for list items). */
  keyAt(path: readonly PathSegment[]): SourceLocation;
}

export function parseYamlFile(file: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  // Only the first syntax error is reported: the parser's later errors are nearly always
  // consequences of it (one unquoted `{` yields dozens), and they hide the real cause.
  const problems: ProjectProblem[] = doc.errors.slice(0, 1).map((error) => ({
    ...position(error.pos[0]),
    rule: 'yaml',
    message: `YAML syntax: ${firstLine(error.message)}${doc.errors.length > 1 ? ` (${doc.errors.length - 1} further error(s) follow from it)` : ''}`,
  }));

  // Walks down the document; returns the deepest node reached and the key node leading to it.
  const walk = (path: readonly PathSegment[]): { node: Node | null; key: Node | null; complete: boolean } => {
    let node = (doc.contents as Node | null) ?? null;
    let key: Node | null = null;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair === undefined) return { node, key, complete: false };
        key = isScalar(pair.key) ? pair.key : null;
        // A key written with no value (`auth:`) has no value node; the key is the best place.
        node = (pair.value as Node | null) ?? key;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment] as Node;
        key = null;
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  };
  const start = (node: Node | null): SourceLocation => position(node?.range?.[0] ?? 0);

  let value: unknown;
  if (problems.length === 0) {
    try {
      // The alias cap stops a "billion laughs" document from exhausting memory.
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.push({ file, line: 1, column: 1, rule: 'yaml', message: `YAML: ${(error as Error).message}` });
    }
  }

  return {
    file,
    value,
    problems,
    valueAt: (path) => start(walk(path).node),
    keyAt: (path) => {
      const { node, key, complete } = walk(path);
      return start(complete && key !== null ? key : node);
    },
  };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}
