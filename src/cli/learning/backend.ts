import type { Page, PageQuery } from "../../api/index.ts";
import {
  type BrentReport,
  brentReport,
  computeEvidence,
  type Evidence,
  type Invitations,
  type LearningEvent,
  type LearningEventCreate,
  LearningEvents,
  loadBusFactorInput,
  loadEvidenceInput,
  type RoundRecord,
  type RoundReport,
  roundReport,
  type Survey,
  type SurveyRecord,
  Surveys,
  serviceAreas,
  setServiceAreas,
} from "../../learning/index.ts";
import { withTeam } from "../commands/team-common.ts";
import { type GlobalOptions, resolveTarget, type Session } from "../context.ts";
import { apiClient, call, type RemoteOptions } from "../remote/index.ts";

export interface StartRound {
  readonly survey?: string;
  readonly round?: string;
  readonly invitations: Record<string, number>;
}

/**
 * What `survey` and `learn` need: the learning unit's classes on this machine's store, or a
 * server's routes through the typed client — the same answers either way.
 */
export interface LearningBackend {
  registerSurvey(source: string, file: string): Promise<SurveyRecord>;
  startRound(input: StartRound): Promise<Invitations>;
  invite(round: string, groups: Record<string, number>): Promise<Invitations>;
  closeRound(round: string): Promise<RoundRecord>;
  rounds(): Promise<RoundRecord[]>;
  questionnaire(code: string): Promise<{ round: string; survey: Survey }>;
  respond(code: string, answers: Record<string, number>): Promise<{ round: string }>;
  results(round: string): Promise<RoundReport>;
  addEvent(input: LearningEventCreate): Promise<LearningEvent>;
  listEvents(query: PageQuery): Promise<Page<LearningEvent>>;
  evidence(until?: string, windowDays?: number): Promise<Evidence>;
  busFactor(): Promise<BrentReport>;
  setServiceAreas(service: string, areas: string[]): Promise<string[]>;
}

/**
 * The store of this machine, or the server given by --server/OPSDOJO_URL. `anonymous`: a server
 * needs no token for this command (answering a survey takes only the invitation code).
 */
export async function withLearning<T>(
  session: Session,
  globals: GlobalOptions,
  command: string,
  task: (backend: LearningBackend) => Promise<T>,
  options: { anonymous?: boolean } = {},
): Promise<T> {
  const tokenless = options.anonymous === true && globals.token === undefined && !session.env.OPSDOJO_TOKEN;
  // resolveTarget insists on a token for a server; a respondent has none and sends none.
  const target = resolveTarget(tokenless ? { ...globals, token: "-" } : globals, session.env);
  if (target.kind === "remote")
    return task(
      remoteLearning({
        url: target.url,
        token: tokenless ? "" : target.token,
        warn: (m) => session.warnings.push(m),
      }),
    );
  return withTeam(session, globals, command, (ctx) => {
    const surveys = new Surveys(ctx.store, ctx.core.clock);
    const events = new LearningEvents(ctx.core);
    return task({
      registerSurvey: async (source, file) => (await surveys.register(source, file)).survey,
      startRound: (input) => surveys.start(input),
      invite: (round, groups) => surveys.invite(round, groups),
      closeRound: (round) => surveys.close(round),
      rounds: () => surveys.rounds(),
      questionnaire: (code) => surveys.questionnaire(code),
      respond: (code, answers) => surveys.respond(code, answers),
      results: (round) => roundReport(ctx.store, ctx.core.clock, surveys, round),
      addEvent: (input) => events.create(input),
      listEvents: (query) => events.list(query),
      evidence: async (until, windowDays) =>
        computeEvidence(
          await loadEvidenceInput(ctx.store, until ? new Date(until) : ctx.core.clock.now(), windowDays),
        ),
      busFactor: async () => brentReport(await loadBusFactorInput(ctx.store, ctx.core.clock.now())),
      setServiceAreas: async (service, areas) => {
        await setServiceAreas(ctx.store, service, areas, ctx.core.clock.now());
        return (await serviceAreas(ctx.store)).get(service) ?? [];
      },
    });
  });
}

/** A server's learning routes. */
export function remoteLearning(options: RemoteOptions): LearningBackend {
  const api = apiClient(options);
  const at = options.url;
  const path = (id: string) => ({ params: { path: { id } } });
  return {
    registerSurvey: async (source, file) =>
      (await call(at, api.POST("/api/surveys", { body: { source, file } }))) as unknown as SurveyRecord,
    startRound: async (input) =>
      (await call(at, api.POST("/api/survey-rounds", { body: input }))) as Invitations,
    invite: async (round, groups) =>
      (await call(
        at,
        api.POST("/api/survey-rounds/{id}/invitations", { ...path(round), body: { invitations: groups } }),
      )) as Invitations,
    closeRound: async (round) =>
      (await call(at, api.POST("/api/survey-rounds/{id}/close", path(round)))) as RoundRecord,
    rounds: async () => ((await call(at, api.GET("/api/survey-rounds"))) as { items: RoundRecord[] }).items,
    questionnaire: async (code) =>
      (await call(at, api.POST("/api/survey-invitations/check", { body: { code } }))) as unknown as {
        round: string;
        survey: Survey;
      },
    respond: async (code, answers) =>
      await call(at, api.POST("/api/survey-responses", { body: { code, answers } })),
    results: async (round) =>
      (await call(at, api.GET("/api/survey-rounds/{id}/results", path(round)))) as unknown as RoundReport,
    addEvent: async (input) =>
      (await call(at, api.POST("/api/learning-events", { body: input }))) as LearningEvent,
    listEvents: async (query) => {
      const q = {
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        ...(query.filter !== undefined ? { filter: query.filter } : {}),
        ...(query.sort !== undefined ? { sort: query.sort } : {}),
      };
      const page = await call(at, api.GET("/api/learning-events", { params: { query: q } }));
      const items = page.items as LearningEvent[];
      return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
    },
    evidence: async (until, windowDays) =>
      (await call(
        at,
        api.GET("/api/learning/evidence", {
          params: {
            query: {
              ...(until ? { until } : {}),
              ...(windowDays !== undefined ? { window_days: windowDays } : {}),
            },
          },
        }),
      )) as unknown as Evidence,
    busFactor: async () => (await call(at, api.GET("/api/learning/bus-factor"))) as unknown as BrentReport,
    setServiceAreas: async (service, areas) =>
      (
        (await call(
          at,
          api.PUT("/api/learning/service-areas/{service}", {
            params: { path: { service } },
            body: { areas },
          }),
        )) as { areas?: string[] }
      ).areas ?? [],
  };
}
