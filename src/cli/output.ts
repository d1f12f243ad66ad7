import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/**
 * Terminal output for humans, JSON for machines. Colour only when the stream is a TTY and
 * NO_COLOR is unset (https://no-color.org), so pipes and CI logs stay plain.
 */
export interface Output {
  readonly json: boolean;
  /** Whether stdout gets ANSI colours. */
  readonly color: boolean;
  paint(style: Style, text: string): string;
  line(text?: string): void;
  error(text: string): void;
  /** Writes the machine-readable result of a command (only with --json). */
  result(value: unknown): void;
}

export function createOutput(options: {
  json: boolean;
  env: Readonly<Record<string, string | undefined>>;
}): Output {
  const color = process.stdout.isTTY === true && options.env.NO_COLOR === undefined;
  const colorErr = process.stderr.isTTY === true && options.env.NO_COLOR === undefined;
  return {
    json: options.json,
    color,
    paint: (style, text) => (color ? styleText(style, text) : text),
    line: (text = '') => {
      if (!options.json) process.stdout.write(`${text}\n`);
    },
    error: (text) => process.stderr.write(`${colorErr ? styleText('red', text) : text}\n`),
    result: (value) => {
      if (options.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
