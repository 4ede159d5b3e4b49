-- Consent history is evidence (PIPL): rows are only ever added. Refused for every role, the
-- subgraph's included, whatever its grants say.
CREATE FUNCTION "users"."consents_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'users.consents is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "consents_append_only" BEFORE UPDATE OR DELETE ON "users"."consents"
  FOR EACH ROW EXECUTE FUNCTION "users"."consents_append_only"();
