-- The whole Plumb schema, in one place. Read by dev.plumb.analytics.schema.Schema at open.
-- Conventions: times are epoch nanoseconds (BIGINT); every row carries its service
-- (resource attribute service.name); ids are lower-case hex; attributes and resource are
-- flat JSON objects ({"http.status_code": 500, "k8s.pod.name": "a"}), read with a JSON
-- pointer: json_extract_string(attributes, '/http.status_code'). JSON rather than
-- MAP(VARCHAR,VARCHAR) because DuckDB's Appender cannot write MAP columns and JSON keeps
-- value types (500 stays a number). Statements are separated by a line holding only ';'.

-- Spans are stored in span_rows and read through the view spans, which has the columns
-- described in the conventions above. span_rows keeps ids as integers (the 16 bytes of a trace
-- id as one UHUGEINT, span ids as UBIGINT) and kind and status as their OTLP numbers, and
-- leaves status_message and code_function NULL when empty: each string value costs the
-- Appender a call into DuckDB and costs DuckDB a string to keep statistics on, compress and
-- rewrite at every checkpoint, and these were 7 of the 13 strings of a span (see
-- docs/performance.md, "Ingest"). Write to span_rows; read from spans.
CREATE TABLE IF NOT EXISTS span_rows (
    trace_id        UHUGEINT NOT NULL,
    span_id         UBIGINT  NOT NULL,
    parent_span_id  UBIGINT  NOT NULL,  -- 0 for a root span
    service         VARCHAR  NOT NULL,
    name            VARCHAR  NOT NULL,
    kind            UTINYINT NOT NULL,  -- OTLP Span.SpanKind: 0 UNSPECIFIED, 1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER
    start_nanos     BIGINT   NOT NULL,
    end_nanos       BIGINT   NOT NULL,
    duration_nanos  BIGINT   NOT NULL,
    status          UTINYINT NOT NULL,  -- OTLP Status.StatusCode: 0 UNSET, 1 OK, 2 ERROR
    status_message  VARCHAR,            -- NULL when empty
    code_function   VARCHAR,            -- attribute code.function.name, NULL if absent: marks @Monitor spans
    attributes      JSON     NOT NULL,
    resource        JSON     NOT NULL,
    scope_name      VARCHAR  NOT NULL,
    -- Entry span of its service (counts in RED): TRUE, FALSE, or NULL for a @Monitor span
    -- whose parent had not arrived when it was written (counted). Set by the writer
    -- (dev.plumb.analytics.ingest.ParentResolver), as is the next column.
    entry           BOOLEAN,
    -- Service of the parent span when it was known at write time; NULL for a root span or
    -- when the parent came later (then see late_parents).
    parent_service  VARCHAR,
    trace_key       BIGINT   NOT NULL   -- see dev.plumb.analytics.schema.TraceKey
)
;
-- A database written before span_rows kept its spans in a table named spans, with text ids;
-- dev.plumb.analytics.schema.Schema renames that table to spans_legacy before this script, and
-- its rows move here (once: the table is dropped after). Without one, the empty table below
-- stands in, so the same statements run every time.
CREATE TABLE IF NOT EXISTS spans_legacy (
    trace_id VARCHAR, span_id VARCHAR, parent_span_id VARCHAR, service VARCHAR, name VARCHAR, kind VARCHAR,
    start_nanos BIGINT, end_nanos BIGINT, duration_nanos BIGINT, status VARCHAR, status_message VARCHAR,
    code_function VARCHAR, attributes JSON, resource JSON, scope_name VARCHAR
)
;
ALTER TABLE spans_legacy ADD COLUMN IF NOT EXISTS entry BOOLEAN
;
ALTER TABLE spans_legacy ADD COLUMN IF NOT EXISTS parent_service VARCHAR
;
ALTER TABLE spans_legacy ADD COLUMN IF NOT EXISTS trace_key BIGINT
;
INSERT INTO span_rows
SELECT (TRY_CAST('0x' || substr(lower(trace_id), 1, 16) AS UBIGINT)::UHUGEINT << 64)
           | TRY_CAST('0x' || substr(lower(trace_id), 17, 16) AS UBIGINT)::UHUGEINT,
       TRY_CAST('0x' || lower(span_id) AS UBIGINT),
       COALESCE(TRY_CAST('0x' || NULLIF(lower(parent_span_id), '') AS UBIGINT), 0),
       service, name,
       CASE kind WHEN 'INTERNAL' THEN 1 WHEN 'SERVER' THEN 2 WHEN 'CLIENT' THEN 3 WHEN 'PRODUCER' THEN 4
                 WHEN 'CONSUMER' THEN 5 ELSE 0 END,
       start_nanos, end_nanos, duration_nanos,
       CASE status WHEN 'OK' THEN 1 WHEN 'ERROR' THEN 2 ELSE 0 END,
       NULLIF(status_message, ''), NULLIF(code_function, ''), attributes, resource, scope_name, entry, parent_service,
       COALESCE(trace_key, TRY_CAST('0x' || substr(lower(trace_id), 1, 15) AS BIGINT), 0)
FROM spans_legacy
-- Ids that are not 32 and 16 hex digits cannot be kept as integers; OTLP never sends them.
WHERE length(trace_id) = 32 AND length(span_id) = 16 AND length(parent_span_id) IN (0, 16)
  AND TRY_CAST('0x' || substr(trace_id, 1, 16) AS UBIGINT) IS NOT NULL
  AND TRY_CAST('0x' || substr(trace_id, 17, 16) AS UBIGINT) IS NOT NULL
  AND TRY_CAST('0x' || span_id AS UBIGINT) IS NOT NULL
;
DROP TABLE spans_legacy
;
-- The spans as queries read them: hex ids, kind and status by name, '' for an empty text; and
-- trace_bits, the trace id as stored, for queries that group or join many spans by trace
-- without formatting every id (DuckDB computes only the view columns a query names).
CREATE OR REPLACE VIEW spans AS
SELECT printf('%032x', r.trace_id) AS trace_id,
       printf('%016x', r.span_id) AS span_id,
       CASE WHEN r.parent_span_id = 0 THEN '' ELSE printf('%016x', r.parent_span_id) END AS parent_span_id,
       r.service, r.name,
       CASE r.kind WHEN 1 THEN 'INTERNAL' WHEN 2 THEN 'SERVER' WHEN 3 THEN 'CLIENT' WHEN 4 THEN 'PRODUCER'
                   WHEN 5 THEN 'CONSUMER' ELSE 'UNSPECIFIED' END AS kind,
       r.start_nanos, r.end_nanos, r.duration_nanos,
       CASE r.status WHEN 1 THEN 'OK' WHEN 2 THEN 'ERROR' ELSE 'UNSET' END AS status,
       COALESCE(r.status_message, '') AS status_message,
       COALESCE(r.code_function, '') AS code_function,
       r.attributes, r.resource, r.scope_name, r.entry, r.parent_service, r.trace_key,
       r.trace_id AS trace_bits
FROM span_rows r
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
