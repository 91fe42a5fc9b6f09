import type { Migration } from "kysely";
import type { DialectName } from "../dialect.ts";
import { foundation } from "./001-foundation.ts";
import { operationsJournal } from "./002-operations.ts";
import { runResults } from "./003-run-results.ts";
import { gamedays } from "./004-gamedays.ts";
import { team } from "./005-team.ts";
import { mining } from "./006-mining.ts";
import { gamedayApi } from "./007-gameday-api.ts";
import { simulations } from "./008-simulations.ts";
import { runRequestKey } from "./009-run-request-key.ts";
import { changeNotifications } from "./010-change-notifications.ts";
import { learning } from "./011-learning.ts";
import { runStartedBy } from "./012-run-started-by.ts";
import { healthHistory } from "./013-health-history.ts";
import { gamedayPlans } from "./014-gameday-plans.ts";

/** Every migration, in order. Names sort in the order they must run; never rename one that shipped. */
export function allMigrations(dialect: DialectName): Record<string, Migration> {
  return {
    "001-foundation": foundation(dialect),
    "002-operations": operationsJournal(dialect),
    "003-run-results": runResults(),
    "004-gamedays": gamedays(),
    "005-team": team(dialect),
    "006-mining": mining(dialect),
    "007-gameday-api": gamedayApi(dialect),
    "008-simulations": simulations(),
    "009-run-request-key": runRequestKey(),
    "010-change-notifications": changeNotifications(dialect),
    "011-learning": learning(dialect),
    "012-run-started-by": runStartedBy(),
    "013-health-history": healthHistory(dialect),
    "014-gameday-plans": gamedayPlans(dialect),
  };
}
