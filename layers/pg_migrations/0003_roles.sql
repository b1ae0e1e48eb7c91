-- Airbridge team workspace, schema 3: the team roles. airbridge_viewer may read (SELECT
-- only: the database itself refuses a viewer's write); airbridge_editor is a viewer that
-- may also import and undo. Logins are members of one of them:
--   CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE airbridge_editor;
-- grant_team_roles() makes the roles when they are missing (which needs CREATEROLE) and
-- grants them this workspace; python -m layers workspace init URL calls it, and this
-- migration does when it may.

CREATE FUNCTION grant_team_roles() RETURNS text
LANGUAGE plpgsql SET search_path = airbridge, public AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'airbridge_viewer') THEN
    CREATE ROLE airbridge_viewer NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'airbridge_editor') THEN
    CREATE ROLE airbridge_editor NOLOGIN IN ROLE airbridge_viewer;
  END IF;
  GRANT USAGE ON SCHEMA airbridge TO airbridge_viewer;
  GRANT SELECT ON ALL TABLES IN SCHEMA airbridge TO airbridge_viewer;
  GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA airbridge TO airbridge_editor;
  GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA airbridge TO airbridge_editor;
  GRANT EXECUTE ON FUNCTION add_position_month(date) TO airbridge_editor;
  ALTER DEFAULT PRIVILEGES IN SCHEMA airbridge GRANT SELECT ON TABLES TO airbridge_viewer;
  ALTER DEFAULT PRIVILEGES IN SCHEMA airbridge GRANT INSERT, UPDATE, DELETE ON TABLES TO airbridge_editor;
  ALTER DEFAULT PRIVILEGES IN SCHEMA airbridge GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO airbridge_editor;
  RETURN 'airbridge_editor and airbridge_viewer may use this workspace';
END $$;
REVOKE ALL ON FUNCTION grant_team_roles() FROM PUBLIC;

DO $$
BEGIN
  IF (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user)
     OR (EXISTS (SELECT FROM pg_roles WHERE rolname = 'airbridge_viewer')
         AND EXISTS (SELECT FROM pg_roles WHERE rolname = 'airbridge_editor')) THEN
    PERFORM grant_team_roles();
  END IF;
END $$;
