import { ExpressionProblem, type ExpressionScope, translateExpression } from './runtime-expression.ts';

/**
 * Arazzo "simple" conditions (`$statusCode == 200 && $response.body#/status == 'available'`) as
 * JSONata booleans. Grammar: literals (numbers, 'strings', true, false, null), runtime
 * expressions, `== != < <= > >=`, `!`, `&&`, `||` and parentheses; `&&` binds tighter than `||`.
 */
export function translateCondition(condition: string, scope: ExpressionScope): string {
  const tokens = tokenize(condition);
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const take = (): string => {
    const token = tokens[position++];
    if (token === undefined) throw new ExpressionProblem(`condition "${condition}" ends too early`, true);
    return token;
  };

  const primary = (): string => {
    const token = take();
    if (token === '(') {
      const inner = or();
      if (take() !== ')') throw new ExpressionProblem(`condition "${condition}" misses a ")"`, true);
      return `(${inner})`;
    }
    if (token === '!') return `$not(${primary()})`;
    if (token.startsWith('$')) return `(${translateExpression(token, scope)})`;
    if (token.startsWith("'") || token.startsWith('"')) return JSON.stringify(token.slice(1, -1));
    if (/^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(token) || ['true', 'false', 'null'].includes(token))
      return token;
    throw new ExpressionProblem(`condition "${condition}": unexpected "${token}"`, true);
  };
  const comparison = (): string => {
    const left = primary();
    const operator = peek();
    if (operator === undefined || !['==', '!=', '<', '<=', '>', '>='].includes(operator)) return left;
    position++;
    return `${left} ${operator === '==' ? '=' : operator} ${primary()}`;
  };
  const and = (): string => {
    let left = comparison();
    while (peek() === '&&') {
      position++;
      left = `${left} and ${comparison()}`;
    }
    return left;
  };
  const or = (): string => {
    let left = and();
    while (peek() === '||') {
      position++;
      left = `${left} or ${and()}`;
    }
    return left;
  };

  const result = or();
  if (position !== tokens.length) {
    throw new ExpressionProblem(`condition "${condition}": unexpected "${tokens[position]}"`, true);
  }
  return result;
}

/** A `type: regex` criterion: the context value (a runtime expression) must match the pattern. */
export function translateRegexCondition(context: string, pattern: string, scope: ExpressionScope): string {
  try {
    new RegExp(pattern);
  } catch {
    throw new ExpressionProblem(`"${pattern}" is not a regular expression`, true);
  }
  const escaped = pattern.replace(/(?<!\\)\//g, '\\/');
  return `$contains($string(${translateExpression(context, scope)}), /${escaped}/)`;
}

const TOKEN =
  /\s*(\$[^\s=!<>&|()]+|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|==|!=|<=|>=|&&|\|\||[<>!()]|[^\s=!<>&|()]+)/y;

function tokenize(condition: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < condition.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(condition);
    if (match === null) {
      if (condition.slice(start).trim() === '') break;
      throw new ExpressionProblem(`condition "${condition}": cannot read "${condition.slice(start)}"`, true);
    }
    tokens.push(match[1] ?? '');
  }
  return tokens;
}
