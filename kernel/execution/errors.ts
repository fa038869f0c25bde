/** Jupyter error content (ename, evalue, traceback) from whatever a cell threw. */

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** `Name: message` and the user's frames: tslab, gaissa and Node internals say nothing of the bug. */
function userStack(e: Error): string[] {
  const frames = (e.stack ?? '')
    .split('\n')
    .filter(
      line =>
        /^\s+at /.test(line) &&
        !/\(node:|node_modules[\\/]tslab|[\\/]lib[\\/]kernel[\\/]/.test(line)
    );
  return [`${e.name}: ${e.message}`, ...frames];
}

export function errorContent(e: unknown): ErrorContent {
  if (e instanceof Error) {
    return {
      ename: e.name || 'Error',
      evalue: e.message,
      traceback: userStack(e)
    };
  }
  const text = typeof e === 'string' ? e : String(e);
  return { ename: 'Error', evalue: text, traceback: [`Uncaught ${text}`] };
}

/** What an interrupted cell reports (the name Jupyter users know from IPython). */
export function interruptedError(): ErrorContent {
  return {
    ename: 'KeyboardInterrupt',
    evalue: 'execution interrupted',
    traceback: ['KeyboardInterrupt: execution interrupted']
  };
}
