/**
 * How long vendor calls may take: each call (its waits for the rate limit and its retries
 * included) gets `mailform:requestDeadline` seconds, and no call starts or waits past
 * `mailform:runDeadline` seconds after the provider process started, so a stuck run ends with a
 * message instead of hanging until CI kills it.
 */
import { setting, type SettingName } from "../settings";

const processStart = Date.now();

/** One attempt never waits longer than this for an answer, within the deadline. */
const ATTEMPT_TIMEOUT_MS = 30_000;

export interface Deadlines {
  /** Epoch ms after which the call fails. */
  deadline: number;
  /** Timeout of one attempt. */
  attemptMs: number;
  /** Which deadline `deadline` is, for messages. */
  describe: string;
}

export function deadlines(now = Date.now()): Deadlines {
  const request = seconds("requestDeadline");
  const run = seconds("runDeadline");
  const byRequest = now + request * 1000;
  const byRun = processStart + run * 1000;
  const describe =
    byRun < byRequest
      ? `the run's deadline of ${run} s (mailform:runDeadline; raise it with pulumi config set mailform:runDeadline <seconds>)`
      : `the call's deadline of ${request} s (mailform:requestDeadline; raise it with pulumi config set mailform:requestDeadline <seconds>)`;
  return { deadline: Math.min(byRequest, byRun), attemptMs: Math.min(ATTEMPT_TIMEOUT_MS, request * 1000), describe };
}

function seconds(name: SettingName): number {
  const text = setting(name) ?? "";
  const value = Number(text);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text) || !(value > 0)) {
    throw new Error(`mailform: ${name} is "${text}"; it must be a number of seconds above 0. Fix it with: pulumi config set mailform:${name} 300`);
  }
  return value;
}
