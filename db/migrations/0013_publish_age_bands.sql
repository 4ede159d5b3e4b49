-- The ledger learns each member's age band from the users events (promotions may be for an age
-- band). Registrations published before the band travelled do not carry it, so publish it once for
-- every member who has one, as the users service would (UserAgeBandChanged v1, ordered per user).
INSERT INTO "users"."outbox" ("event_id", "type", "version", "aggregate", "payload")
SELECT gen_random_uuid(), 'UserAgeBandChanged', 1, 'user:' || "id", jsonb_build_object('userId', "id", 'ageBand', "age_band")
FROM "users"."users"
WHERE "status" <> 'ERASED' AND "age_band" IS NOT NULL
ORDER BY "registered_at", "id";
