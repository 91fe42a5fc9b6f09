/**
 * Who a game-day fault's run says started it: the game day, never a person. A fault is not
 * someone operating a service, so learning counts none of these among the people who start runs
 * or operate services (operations.md "Who started a run").
 */
const PREFIX = "game day ";

export function faultStarter(sessionId: string): string {
  return `${PREFIX}${sessionId}`;
}

export function isFaultStarter(startedBy: string | null): boolean {
  return startedBy?.startsWith(PREFIX) ?? false;
}
