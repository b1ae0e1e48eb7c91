-- Airbridge team workspace, schema 1: the batches and the imported rows of each kind.
-- Columns are the shipped schema's (layers/schema.py, checked by tests/test_pg_schema.py),
-- typed like the GeoPackage's: full dates as date, count_min as integer, coordinates as
-- double precision, lists and sources as the text the CSV files hold. Applied by
-- layers/pg_schema.py inside one transaction, with search_path = airbridge, public.

CREATE TABLE import_batches (
  fid bigint PRIMARY KEY,
  id text NOT NULL UNIQUE,
  created timestamptz NOT NULL,
  file_name text NOT NULL,
  kinds text NOT NULL,
  "rows" integer NOT NULL,
  source text NOT NULL,
  confidence text NOT NULL,
  imported_by text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE import_batches IS 'Airbridge imports: one row per batch';
-- Batch numbers come from a sequence: never reused, even after an undo or a failed import.
CREATE SEQUENCE import_batch_numbers OWNED BY import_batches.fid;

CREATE TABLE sites (
  fid bigserial PRIMARY KEY,
  batch_id text NOT NULL REFERENCES import_batches (id),
  batch_row integer NOT NULL,
  id text, name text, alt_names text, kind text, "group" text, country text, icao text,
  lat double precision, lon double precision, coord_source text, role text, notes text,
  conflict text, sources text, confidence text,
  geom geometry(Point, 4326)
);
CREATE INDEX sites_batch ON sites (batch_id);
CREATE INDEX sites_geom ON sites USING gist (geom);

CREATE TABLE site_statuses (
  fid bigserial PRIMARY KEY,
  batch_id text NOT NULL REFERENCES import_batches (id),
  batch_row integer NOT NULL,
  site_id text, date text, status text, note text, conflict text, sources text, confidence text
);
CREATE INDEX site_statuses_batch ON site_statuses (batch_id);

CREATE TABLE flights (
  fid bigserial PRIMARY KEY,
  batch_id text NOT NULL REFERENCES import_batches (id),
  batch_row integer NOT NULL,
  id text, record_type text, date date, end_date date, count text, count_min integer, aircraft_type text,
  registration text, operator text, origin text, origin_as_reported text, destination text,
  destination_as_reported text, via text, notes text, conflict text, sources text, confidence text
);
CREATE INDEX flights_batch ON flights (batch_id);

CREATE TABLE events (
  fid bigserial PRIMARY KEY,
  batch_id text NOT NULL REFERENCES import_batches (id),
  batch_row integer NOT NULL,
  id text, date date, end_date date, title text, description text, category text, places text,
  conflict text, sources text, confidence text
);
CREATE INDEX events_batch ON events (batch_id);

CREATE TABLE aircraft (
  fid bigserial PRIMARY KEY,
  batch_id text NOT NULL REFERENCES import_batches (id),
  batch_row integer NOT NULL,
  icao24 text, registration text, type text, operator text, note text, source text, confidence text
);
CREATE INDEX aircraft_batch ON aircraft (batch_id);
