-- The whole Plumb schema, in one place. Read by dev.plumb.analytics.schema.Schema at open.
-- Conventions: times are epoch nanoseconds (BIGINT); every row carries its service
-- (resource attribute service.name); ids are lower-case hex; attributes and resource are
-- flat JSON objects ({"http.status_code": 500, "k8s.pod.name": "a"}), read with a JSON
-- pointer: json_extract_string(attributes, '/http.status_code'). JSON rather than
-- MAP(VARCHAR,VARCHAR) because DuckDB's Appender cannot write MAP columns and JSON keeps
-- value types (500 stays a number). Statements are separated by a line holding only ';'.

CREATE TABLE IF NOT EXISTS spans (
    trace_id        VARCHAR  NOT NULL,
    span_id         VARCHAR  NOT NULL,
    parent_span_id  VARCHAR  NOT NULL,  -- '' for a root span
    service         VARCHAR  NOT NULL,
    name            VARCHAR  NOT NULL,
    kind            VARCHAR  NOT NULL,  -- UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER
    start_nanos     BIGINT   NOT NULL,
    end_nanos       BIGINT   NOT NULL,
    duration_nanos  BIGINT   NOT NULL,
    status          VARCHAR  NOT NULL,  -- UNSET, OK, ERROR
    status_message  VARCHAR  NOT NULL,
    code_function   VARCHAR  NOT NULL,  -- attribute code.function.name ('' if absent): marks @Monitor spans
    attributes      JSON     NOT NULL,
    resource        JSON     NOT NULL,
    scope_name      VARCHAR  NOT NULL,
    -- The next two are set by the writer (dev.plumb.analytics.ingest.ParentResolver) and are
    -- last so that the ALTERs below give older databases the same column order.
    -- Entry span of its service (counts in RED): TRUE, FALSE, or NULL for a @Monitor span
    -- whose parent had not arrived when it was written (counted).
    entry           BOOLEAN,
    -- Service of the parent span when it was known at write time; NULL for a root span or
    -- when the parent came later (then see late_parents).
    parent_service  VARCHAR,
    trace_key       BIGINT     -- see dev.plumb.analytics.schema.TraceKey
)
;
-- Databases created before these columns get them (their rows count as entries, without edges).
ALTER TABLE spans ADD COLUMN IF NOT EXISTS entry BOOLEAN
;
ALTER TABLE spans ADD COLUMN IF NOT EXISTS parent_service VARCHAR
;
ALTER TABLE spans ADD COLUMN IF NOT EXISTS trace_key BIGINT
;
UPDATE spans SET trace_key = COALESCE(TRY_CAST('0x' || substr(trace_id, 1, 15) AS BIGINT), 0) WHERE trace_key IS NULL
;
-- A span whose parent arrived after it: the parent's service, with what the service map needs.
CREATE TABLE IF NOT EXISTS late_parents (
    trace_id        VARCHAR NOT NULL,
    span_id         VARCHAR NOT NULL,
    start_nanos     BIGINT  NOT NULL,
    service         VARCHAR NOT NULL,
    parent_service  VARCHAR NOT NULL,
    duration_nanos  BIGINT  NOT NULL,
    status          VARCHAR NOT NULL
)
;
-- No ART index on trace_id: it slowed ingest of 10 M spans more than threefold (it grows
-- super-linearly); a lookup filters trace_key (an integer) instead. Older databases lose theirs.
DROP INDEX IF EXISTS spans_by_trace
;
CREATE TABLE IF NOT EXISTS span_events (
    trace_id    VARCHAR NOT NULL,
    span_id     VARCHAR NOT NULL,
    time_nanos  BIGINT  NOT NULL,
    name        VARCHAR NOT NULL,
    attributes  JSON    NOT NULL,
    trace_key   BIGINT
)
;
ALTER TABLE span_events ADD COLUMN IF NOT EXISTS trace_key BIGINT
;
UPDATE span_events SET trace_key = COALESCE(TRY_CAST('0x' || substr(trace_id, 1, 15) AS BIGINT), 0) WHERE trace_key IS NULL
;
CREATE TABLE IF NOT EXISTS span_links (
    trace_id         VARCHAR NOT NULL,
    span_id          VARCHAR NOT NULL,
    start_nanos      BIGINT  NOT NULL,  -- the linking span's start, for retention
    linked_trace_id  VARCHAR NOT NULL,
    linked_span_id   VARCHAR NOT NULL,
    attributes       JSON    NOT NULL
)
;
CREATE TABLE IF NOT EXISTS logs (
    time_nanos       BIGINT   NOT NULL,
    observed_nanos   BIGINT   NOT NULL,
    service          VARCHAR  NOT NULL,
    severity_number  INTEGER  NOT NULL,  -- OTLP numbers: 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL
    severity_text    VARCHAR  NOT NULL,
    body             VARCHAR  NOT NULL,
    trace_id         VARCHAR  NOT NULL,  -- '' without trace context
    span_id          VARCHAR  NOT NULL,
    attributes       JSON     NOT NULL,
    resource         JSON     NOT NULL,
    scope_name       VARCHAR  NOT NULL,
    trace_key        BIGINT
)
;
ALTER TABLE logs ADD COLUMN IF NOT EXISTS trace_key BIGINT
;
UPDATE logs SET trace_key = COALESCE(TRY_CAST('0x' || substr(trace_id, 1, 15) AS BIGINT), 0) WHERE trace_key IS NULL
;
DROP INDEX IF EXISTS logs_by_trace
;
CREATE TABLE IF NOT EXISTS metric_points (
    service        VARCHAR   NOT NULL,
    name           VARCHAR   NOT NULL,
    description    VARCHAR   NOT NULL,
    unit           VARCHAR   NOT NULL,
    type           VARCHAR   NOT NULL,  -- GAUGE, SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY
    temporality    VARCHAR   NOT NULL,  -- UNSPECIFIED, DELTA, CUMULATIVE
    monotonic      BOOLEAN   NOT NULL,
    start_nanos    BIGINT    NOT NULL,
    time_nanos     BIGINT    NOT NULL,
    value          DOUBLE,              -- gauges and sums; NULL otherwise
    count          BIGINT    NOT NULL,  -- histograms; 0 otherwise
    sum            DOUBLE,
    min            DOUBLE,
    max            DOUBLE,
    bounds         DOUBLE[]  NOT NULL,  -- histogram upper bounds, ascending
    bucket_counts  BIGINT[]  NOT NULL,  -- bounds + 1 entries, the last for +Inf
    attributes     JSON      NOT NULL,
    resource       JSON      NOT NULL,
    -- Arrival order: the writing transaction's number from metric_points_ingest (set by
    -- dev.plumb.analytics.ingest.TableAppenders), so that the cost engine finds points that
    -- arrive late with old timestamps. NULL in rows written before the column existed.
    ingest_seq     BIGINT
)
;
CREATE SEQUENCE IF NOT EXISTS metric_points_ingest
;
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS ingest_seq BIGINT
;
CREATE TABLE IF NOT EXISTS metric_exemplars (
    service      VARCHAR NOT NULL,
    metric_name  VARCHAR NOT NULL,
    time_nanos   BIGINT  NOT NULL,
    value        DOUBLE  NOT NULL,
    trace_id     VARCHAR NOT NULL,
    span_id      VARCHAR NOT NULL,
    attributes   JSON    NOT NULL
)
;
;
-- Narrow tables that the queries read instead of scanning every span or log record. Written
-- in the writer's transaction by dev.plumb.analytics.querytables.QueryTables, so they always
-- agree with spans and logs; filled from them once when a database predates them.
-- Entry spans (the requests that RED counts, see dev.plumb.analytics.red.RedQuery): about one
-- span in three, and only the columns RED reads (plus integer keys to unmark one, see QueryTables).
CREATE TABLE IF NOT EXISTS entry_spans (
    start_nanos     BIGINT   NOT NULL,
    service         VARCHAR  NOT NULL,
    operation       VARCHAR  NOT NULL,  -- the span's name: "POST /pay", "CardProcessor.charge"
    duration_nanos  BIGINT   NOT NULL,
    error           BOOLEAN  NOT NULL,  -- status ERROR
    trace_key       BIGINT   NOT NULL,
    span_key        BIGINT   NOT NULL   -- the span id's first 15 hex digits, as trace_key is the trace id's
)
;
INSERT INTO entry_spans
SELECT start_nanos, service, name, duration_nanos, status = 'ERROR', COALESCE(trace_key, 0),
       COALESCE(TRY_CAST('0x' || substr(span_id, 1, 15) AS BIGINT), 0)
FROM spans WHERE entry IS NOT FALSE AND (SELECT count(*) FROM entry_spans) = 0
;
-- Spans whose parent belongs to another service, known when they were written: the service
-- map's edges (late_parents holds those whose parent came later).
CREATE TABLE IF NOT EXISTS service_calls (
    start_nanos     BIGINT   NOT NULL,
    parent_service  VARCHAR  NOT NULL,
    service         VARCHAR  NOT NULL,
    duration_nanos  BIGINT   NOT NULL,
    error           BOOLEAN  NOT NULL
)
;
INSERT INTO service_calls
SELECT start_nanos, parent_service, service, duration_nanos, status = 'ERROR'
FROM spans WHERE parent_service <> service AND (SELECT count(*) FROM service_calls) = 0
;
-- Which services sent a span or a log record in each minute (minute_nanos is the minute's
-- start): the service list without scanning every record. Rows repeat across transactions.
CREATE TABLE IF NOT EXISTS service_minutes (
    minute_nanos    BIGINT   NOT NULL,
    service         VARCHAR  NOT NULL
)
;
INSERT INTO service_minutes
SELECT DISTINCT minute_nanos, service FROM (
    SELECT start_nanos // 60000000000 * 60000000000 AS minute_nanos, service FROM spans
    UNION ALL
    SELECT time_nanos // 60000000000 * 60000000000, service FROM logs
) WHERE (SELECT count(*) FROM service_minutes) = 0
;
