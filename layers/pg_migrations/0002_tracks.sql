-- Airbridge team workspace, schema 2: ADS-B positions (partitioned by month), stated
-- flight legs, and each track batch's format. The columns of track_positions are those of
-- layers/tracks/positions.py; geom is computed from lon/lat, so a bulk COPY fills it.

CREATE TABLE track_batches (
  batch_id text PRIMARY KEY REFERENCES import_batches (id),
  format text NOT NULL,
  simplified boolean NOT NULL
);
COMMENT ON TABLE track_batches IS 'Airbridge track batches: the format read, whether simplified';

CREATE TABLE track_legs (
  fid bigserial PRIMARY KEY,
  batch_id text NOT NULL REFERENCES import_batches (id),
  icao24 text NOT NULL, callsign text NOT NULL,
  first_seen timestamptz NOT NULL, last_seen timestamptz NOT NULL,
  departure text NOT NULL, arrival text NOT NULL, leg integer NOT NULL
);
CREATE INDEX track_legs_batch ON track_legs (batch_id);

CREATE TABLE track_positions (
  batch_id text NOT NULL,
  batch_row integer NOT NULL,
  "time" timestamptz NOT NULL,
  icao24 text, callsign text, registration text, aircraft_type text,
  lat double precision NOT NULL, lon double precision NOT NULL,
  alt_baro_ft double precision, alt_geom_ft double precision, ground_speed_kt double precision,
  track_deg double precision, vertical_rate_fpm double precision,
  on_ground boolean, position_source text, stale boolean, new_leg boolean, implausible boolean,
  point bigint,
  geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED
) PARTITION BY RANGE ("time");
COMMENT ON TABLE track_positions IS 'Airbridge imported ADS-B positions, one partition per month (UTC)';
CREATE INDEX track_positions_batch ON track_positions (batch_id, batch_row);
CREATE INDEX track_positions_geom ON track_positions USING gist (geom);

-- The month partitions are made on demand by this one function, which runs as the
-- workspace's owner: editors may add a month without owning the table.
CREATE FUNCTION add_position_month(month date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = airbridge, public SET "TimeZone" = 'UTC' AS $$
DECLARE
  first_day date := date_trunc('month', month)::date;
  name text := 'track_positions_' || to_char(first_day, 'YYYY_MM');
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('airbridge.add_position_month'));
  IF to_regclass(format('airbridge.%I', name)) IS NULL THEN
    EXECUTE format('CREATE TABLE airbridge.%I PARTITION OF airbridge.track_positions FOR VALUES FROM (%L) TO (%L)',
                   name, first_day::timestamptz, (first_day + interval '1 month')::timestamptz);
  END IF;
END $$;
REVOKE ALL ON FUNCTION add_position_month(date) FROM PUBLIC;
