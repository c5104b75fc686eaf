/**
 * The program's stack-trace handling (program/resource.ts): the SDK's promise stacks, read only
 * when debugging promise leaks, are not formatted; every other error keeps its stack.
 */
import { describe, expect, it } from "vitest";
import { withoutPromiseStackTraces } from "../../program/resource";

// Named like the SDK's function that takes a stack for every promise (runtime/debuggable.js).
function debuggablePromise(): string | undefined {
  return new Error("promise").stack;
}
function somethingElse(): string | undefined {
  return new Error("bug").stack;
}

describe("stack traces in the program", () => {
  it("leaves the SDK's promise stacks unformatted after registering, and keeps every other error's stack", () => {
    const during = withoutPromiseStackTraces(() => somethingElse());
    expect(during).toBe("Error: bug"); // registering: no frames taken at all
    expect(debuggablePromise()).toBe("Error: promise");
    const stack = somethingElse();
    expect(stack).toMatch(/^Error: bug\n\s+at somethingElse /);
    expect(stack).toContain("stack-traces.test.ts");
  });
});
