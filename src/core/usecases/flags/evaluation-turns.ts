/**
 * Takes turns for long evaluations. The server has one thread: an evaluation that runs for 10 ms
 * holds up every other request for 10 ms, and 64 of them queued one after another hold up a
 * health check for over half a second. An evaluation that has run for `sliceMs` waits for a turn;
 * turns are handed out one per pass of the event loop, so every other request gets through
 * between two slices, and concurrent long evaluations progress in round robin. An evaluation that
 * finishes within its first slice (nearly all) never waits.
 */
export function makeEvaluationTurns(sliceMs = 1) {
  const waiting: (() => void)[] = [];
  let scheduled = false;

  function handOut() {
    scheduled = false;
    waiting.shift()?.();
    if (waiting.length > 0) schedule();
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    // setImmediate runs after the pending I/O of this pass: other requests go first.
    setImmediate(handOut);
  }

  return {
    /**
     * A clock for one evaluation: `pause()` waits for a turn once its slice is used up. Within the
     * slice it returns nothing, so a caller awaits only a real wait (an `await` always costs a tick).
     */
    start() {
      let sliceStart = performance.now();
      return {
        pause(): Promise<void> | undefined {
          if (performance.now() - sliceStart < sliceMs) return undefined;
          return new Promise<void>((resolve) => {
            waiting.push(() => {
              sliceStart = performance.now();
              resolve();
            });
            schedule();
          });
        },
      };
    },
  };
}

export type EvaluationTurns = ReturnType<typeof makeEvaluationTurns>;
