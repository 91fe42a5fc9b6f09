import { type Kysely, type Migration, sql } from "kysely";
import type { DialectName } from "../dialect.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * PostgreSQL: triggers that NOTIFY every node of what it may have cached or be streaming
 * (store/changes). In the writing transaction, so the notification leaves at commit, only for a
 * committed change, and from every writer (CLI, another node, hand-written SQL). Payloads:
 * `opsdojo_invalidate` ← `<table>:<id>`; `opsdojo_events` ← `run:<id>:<seq>` /
 * `session:<id>:<seq>`. Tokens notify only when a column that decides access changes, so
 * `last_used_at` does not empty every node's cache once a minute.
 *
 * SQLite has nothing to store: its feed installs TEMP triggers on the server's own connection.
 */
export function changeNotifications(dialect: DialectName): Migration {
  return dialect === "postgres" ? { up, down } : { up: async () => {}, down: async () => {} };
}

async function up(db: Db): Promise<void> {
  await sql`
    CREATE FUNCTION opsdojo_notify_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('opsdojo_invalidate', TG_TABLE_NAME || ':' || OLD.id);
      ELSE
        PERFORM pg_notify('opsdojo_invalidate', TG_TABLE_NAME || ':' || NEW.id);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER tokens_changed AFTER UPDATE OF revoked_at, expires_at, scopes, name, hash OR DELETE
    ON tokens FOR EACH ROW EXECUTE FUNCTION opsdojo_notify_row()`.execute(db);
  await sql`
    CREATE TRIGGER services_changed AFTER UPDATE OR DELETE
    ON services FOR EACH ROW EXECUTE FUNCTION opsdojo_notify_row()`.execute(db);
  await sql`
    CREATE FUNCTION opsdojo_notify_run_event() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('opsdojo_events', 'run:' || NEW.run_id || ':' || NEW.seq);
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER run_events_added AFTER INSERT ON run_events
    FOR EACH ROW EXECUTE FUNCTION opsdojo_notify_run_event()`.execute(db);
  await sql`
    CREATE FUNCTION opsdojo_notify_timeline() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('opsdojo_events', 'session:' || NEW.session_id || ':' || NEW.seq);
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER gameday_timeline_added AFTER INSERT ON gameday_timeline
    FOR EACH ROW EXECUTE FUNCTION opsdojo_notify_timeline()`.execute(db);
  // A session's status may change after its last entry (the runner records \`session.ended\`,
  // then sets \`ended\`): seq 0 tells its streams to look whether it is over.
  await sql`
    CREATE FUNCTION opsdojo_notify_session_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('opsdojo_events', 'session:' || NEW.id || ':0');
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER gameday_sessions_status AFTER UPDATE OF status ON gameday_sessions
    FOR EACH ROW EXECUTE FUNCTION opsdojo_notify_session_status()`.execute(db);
}

async function down(db: Db): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS gameday_sessions_status ON gameday_sessions`.execute(db);
  await sql`DROP FUNCTION IF EXISTS opsdojo_notify_session_status()`.execute(db);
  await sql`DROP TRIGGER IF EXISTS gameday_timeline_added ON gameday_timeline`.execute(db);
  await sql`DROP TRIGGER IF EXISTS run_events_added ON run_events`.execute(db);
  await sql`DROP TRIGGER IF EXISTS services_changed ON services`.execute(db);
  await sql`DROP TRIGGER IF EXISTS tokens_changed ON tokens`.execute(db);
  await sql`DROP FUNCTION IF EXISTS opsdojo_notify_timeline()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS opsdojo_notify_run_event()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS opsdojo_notify_row()`.execute(db);
}
