/** Everything on standard input; prompts on a terminal (values never come from argv, where `ps` shows them). */
export async function readStdin(prompt: string): Promise<string> {
  if (process.stdin.isTTY === true) process.stderr.write(prompt);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
