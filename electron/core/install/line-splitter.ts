// Turns streamed process output into whole lines, with one partial-line buffer PER STREAM: a
// chunk boundary (or a stderr chunk arriving between two halves of a stdout line) must never cut
// a progress marker such as `@@PIC-OK` in two, or the app would report a failure the cell did not
// have. Shared by the install and uninstall flows. A line longer than `maxLine` is passed on in
// pieces, so a remote that never prints a newline cannot grow the buffer without bound.

type OutputStream = 'stdout' | 'stderr';

interface LineSplitter {
  push(stream: OutputStream, text: string): void;
  /** Delivers what is left of each stream as a last line (call once the process has ended). */
  flush(): void;
}

export function lineSplitter(onLine: (stream: OutputStream, line: string) => void, maxLine = 64 * 1024): LineSplitter {
  const partial: Record<OutputStream, string> = { stdout: '', stderr: '' };
  const emit = (stream: OutputStream, line: string) => onLine(stream, line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    push(stream, text) {
      const lines = (partial[stream] + text).split('\n');
      let rest = lines.pop() ?? '';
      for (const line of lines) emit(stream, line);
      while (rest.length > maxLine) {
        emit(stream, rest.slice(0, maxLine));
        rest = rest.slice(maxLine);
      }
      partial[stream] = rest;
    },
    flush() {
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = partial[stream];
        partial[stream] = '';
        if (rest) emit(stream, rest);
      }
    },
  };
}
