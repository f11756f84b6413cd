-- Ferry envelope store, schema version 1: outbox, inbox, dead letters.
--
-- Ferry applies this file itself at start (ferry.store.migrate=true, the default), inside one
-- transaction holding a per-schema advisory lock, with :"schema" replaced by the configured schema.
-- To apply it by hand (ferry.store.migrate=false), create the schema and run it with psql:
--
--   psql -v ON_ERROR_STOP=1 -v schema=ferry -c 'CREATE SCHEMA IF NOT EXISTS ferry' -1 -f V1__ferry.sql
--
-- Every statement is idempotent, so running it twice does no harm.

CREATE TABLE IF NOT EXISTS :"schema".schema_version (
  version      integer     PRIMARY KEY,
  description  text        NOT NULL,
  installed_at timestamptz NOT NULL DEFAULT now(),
  installed_by text        NOT NULL DEFAULT current_user
);

-- Outgoing envelopes (the transactional outbox and scheduled messages). A row is written in the
-- sender's transaction, owned by the sending node until lease_until so that it can send it right
-- after commit; any node's relay claims rows that are due and whose lease expired.
CREATE TABLE IF NOT EXISTS :"schema".outgoing (
  id             text        PRIMARY KEY,          -- message id '@' destination
  seq            bigint      GENERATED ALWAYS AS IDENTITY,
  destination    text        NOT NULL,             -- address text, e.g. jms:queue:orders
  due_at         timestamptz,                      -- requested delivery time; null = at once
  not_before     timestamptz NOT NULL,             -- due_at, or -infinity (at once); back-off pushes it
  owner          text,                             -- node id holding the lease, null = free
  lease_until    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- the envelope (see docs/wire-format.md)
  message_id     text        NOT NULL,
  message_type   text,
  content_type   text,
  correlation_id text,
  causation_id   text,
  reply_to       text,
  reply_type     text,
  source         text,
  sent_at        timestamptz,
  deliver_by     timestamptz,
  scheduled_for  timestamptz,
  attempts       integer     NOT NULL DEFAULT 0,
  tenant         text,
  trace_parent   text,
  trace_state    text,
  headers        jsonb       NOT NULL DEFAULT '{}',
  body           bytea       NOT NULL
);

-- The relay's claim: due rows in order; the lease condition is checked on the rows found.
CREATE INDEX IF NOT EXISTS outgoing_due_idx ON :"schema".outgoing (not_before, seq);

-- The inbox: ids of messages handled per endpoint, written in the handler's transaction. The
-- primary key makes two nodes racing on a redelivered message serialize: one inserts, the other
-- finds the row once the first commits and skips the duplicate.
CREATE TABLE IF NOT EXISTS :"schema".incoming (
  message_id text        NOT NULL,
  endpoint   text        NOT NULL,
  handled_at timestamptz NOT NULL,
  PRIMARY KEY (message_id, endpoint)
);

CREATE INDEX IF NOT EXISTS incoming_handled_at_idx ON :"schema".incoming (handled_at);

-- Dead letters: the original envelope with why it failed; listed, replayed and purged by the bus.
CREATE TABLE IF NOT EXISTS :"schema".dead_letters (
  id                text        PRIMARY KEY,       -- message id '@' endpoint
  seq               bigint      GENERATED ALWAYS AS IDENTITY,
  endpoint          text        NOT NULL,
  reason            text,
  exception_type    text,
  exception_message text,
  stack_trace       text,
  failed_attempts   integer     NOT NULL DEFAULT 0,
  first_failed_at   timestamptz,
  dead_lettered_at  timestamptz,
  -- the envelope, unchanged
  message_id        text        NOT NULL,
  message_type      text,
  content_type      text,
  correlation_id    text,
  causation_id      text,
  reply_to          text,
  reply_type        text,
  source            text,
  sent_at           timestamptz,
  deliver_by        timestamptz,
  scheduled_for     timestamptz,
  attempts          integer     NOT NULL DEFAULT 0,
  tenant            text,
  trace_parent      text,
  trace_state       text,
  headers           jsonb       NOT NULL DEFAULT '{}',
  body              bytea       NOT NULL
);

CREATE INDEX IF NOT EXISTS dead_letters_endpoint_idx ON :"schema".dead_letters (endpoint, seq);

INSERT INTO :"schema".schema_version (version, description)
VALUES (1, 'outbox, inbox, dead letters')
ON CONFLICT (version) DO NOTHING;
