import { RE2JS, RE2JSException } from "re2js";
import { FLAG_LIMITS } from "./limits";
import { memo } from "./memo";

/**
 * RE2 keeps the states of its lazy DFA per pattern, 8 MB by default: a hostile pattern fed varied
 * input fills all of it, for every pattern kept. Past this smaller budget it resets the states or
 * falls back to its NFA, which stays linear (and was faster on the hostile patterns measured).
 */
const DFA_BUDGET_BYTES = 16 * 1024;

export interface CompiledPattern {
  test(input: string): boolean;
  /** RE2 instructions: the work per input character is proportional to this. */
  instructions: number;
}

/**
 * Compiles a REGEX constraint's pattern with RE2, as Unleash's engine does (Rust's regex crate has
 * RE2's syntax and guarantees): matching takes time linear in the input whatever the pattern, so
 * there is no backtracking to exploit. What RE2 refuses (backreferences, lookaround, bad syntax)
 * is returned as the reason.
 */
export function compilePattern(pattern: string, caseInsensitive = false): CompiledPattern | string {
  try {
    const compiled = RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
    const dfa = compiled.re2Input.dfa;
    dfa.maxMem = DFA_BUDGET_BYTES;
    dfa.stateBudget = DFA_BUDGET_BYTES;
    dfa.memBudget = DFA_BUDGET_BYTES;
    return { test: (input) => compiled.test(input), instructions: compiled.programSize() };
  } catch (error) {
    if (error instanceof RE2JSException) return error.message.replace(/^error parsing regexp: /, "");
    throw error;
  }
}

const compiledPatterns = memo((key: string) => {
  const compiled = compilePattern(key.slice(1), key.startsWith("i"));
  return typeof compiled === "string" ? null : compiled;
});

/** The compiled pattern, kept per pattern and case mode; null for one RE2 refuses. */
export function patternFor(pattern: string, caseInsensitive = false): CompiledPattern | null {
  return compiledPatterns(`${caseInsensitive ? "i" : "-"}${pattern}`);
}

/** Why a stored pattern would be refused, or undefined when it is within bounds and RE2 accepts it. */
export function patternProblem(pattern: string, caseInsensitive = false): string | undefined {
  if (pattern.length > FLAG_LIMITS.patternLength) {
    return `At most ${FLAG_LIMITS.patternLength} characters.`;
  }
  const compiled = compilePattern(pattern, caseInsensitive);
  if (typeof compiled === "string") return `Not a regular expression RE2 accepts: ${compiled}.`;
  if (compiled.instructions > FLAG_LIMITS.patternInstructions) {
    return `Compiles to ${compiled.instructions} RE2 instructions; at most ${FLAG_LIMITS.patternInstructions}.`;
  }
  return undefined;
}
