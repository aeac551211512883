import { describe, expect, test } from "bun:test";
import { makeEvaluationTurns } from "../../../src/core/usecases/flags/evaluation-turns";

describe("evaluation turns", () => {
  test("long evaluations take turns, and other work runs between their slices", async () => {
    const turns = makeEvaluationTurns(0);
    const order: string[] = [];
    const evaluation = async (name: string) => {
      const clock = turns.start();
      for (let step = 0; step < 3; step++) {
        await clock.pause();
        order.push(`${name}${step}`);
        if (name === "a" && step === 0) setImmediate(() => order.push("health"));
      }
    };
    await Promise.all([evaluation("a"), evaluation("b")]);
    expect(order).toEqual(["a0", "b0", "health", "a1", "b1", "a2", "b2"]);
  });

  test("an evaluation within its slice never waits", async () => {
    const turns = makeEvaluationTurns(60_000);
    let otherRan = false;
    setImmediate(() => {
      otherRan = true;
    });
    const clock = turns.start();
    for (let step = 0; step < 100; step++) await clock.pause();
    expect(otherRan).toBe(false);
  });
});
