CREATE TABLE "green"."impact_daily" (
	"owner" text NOT NULL,
	"day" date NOT NULL,
	"category" text NOT NULL,
	"factor_key" text NOT NULL,
	"factor_version" integer NOT NULL,
	"co2e_grams" bigint NOT NULL,
	"water_litres" bigint NOT NULL,
	"plastic_grams" bigint NOT NULL,
	"green_points" bigint NOT NULL,
	"records" bigint NOT NULL,
	CONSTRAINT "impact_daily_pk" PRIMARY KEY("owner","day","category","factor_key","factor_version")
);
--> statement-breakpoint
CREATE TABLE "green"."impact_day_members" (
	"owner" text NOT NULL,
	"category" text NOT NULL,
	"day" date NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "impact_day_members_pk" PRIMARY KEY("owner","category","day","user_id")
);
--> statement-breakpoint
CREATE TABLE "green"."impact_day_people" (
	"owner" text NOT NULL,
	"category" text NOT NULL,
	"day" date NOT NULL,
	"people" integer NOT NULL,
	CONSTRAINT "impact_day_people_pk" PRIMARY KEY("owner","day","category"),
	CONSTRAINT "impact_day_people_people_check" CHECK ("green"."impact_day_people"."people" > 0)
);
--> statement-breakpoint
-- Who an impact record counts for: the platform, and its merchant when it has one.
CREATE FUNCTION "green"."impact_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Keys in a fixed order, so two transactions rolling up the same days lock rows in the same order.
  INSERT INTO "green"."impact_daily" AS d
    ("owner", "day", "category", "factor_key", "factor_version", "co2e_grams", "water_litres", "plastic_grams", "green_points", "records")
  SELECT o.owner, (n.occurred_at AT TIME ZONE 'UTC')::date, n.category, coalesce(n.factor_key, ''), coalesce(n.factor_version, 0),
         sum(n.co2e_grams), sum(n.water_litres), sum(n.plastic_grams), sum(n.green_points), count(*)
  FROM new_rows n CROSS JOIN LATERAL (VALUES ('platform'), (n.merchant_id::text)) AS o(owner)
  WHERE o.owner IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("owner", "day", "category", "factor_key", "factor_version") DO UPDATE SET
    "co2e_grams" = d.co2e_grams + excluded.co2e_grams,
    "water_litres" = d.water_litres + excluded.water_litres,
    "plastic_grams" = d.plastic_grams + excluded.plastic_grams,
    "green_points" = d.green_points + excluded.green_points,
    "records" = d.records + excluded.records;
  -- A person counts once per owner, category and day: only memberships new to the set add to the
  -- count (a concurrent insert of the same membership waits on its key and then adds nothing).
  WITH joined AS (
    INSERT INTO "green"."impact_day_members" ("owner", "category", "day", "user_id")
    SELECT DISTINCT o.owner, n.category, (n.occurred_at AT TIME ZONE 'UTC')::date, n.user_id
    FROM new_rows n CROSS JOIN LATERAL (VALUES ('platform'), (n.merchant_id::text)) AS o(owner)
    WHERE o.owner IS NOT NULL
    ORDER BY 1, 2, 3, 4
    ON CONFLICT DO NOTHING
    RETURNING "owner", "category", "day")
  INSERT INTO "green"."impact_day_people" AS p ("owner", "category", "day", "people")
  SELECT j.owner, j.category, j.day, count(*) FROM joined j GROUP BY 1, 2, 3 ORDER BY 1, 3, 2
  ON CONFLICT ("owner", "day", "category") DO UPDATE SET "people" = p.people + excluded.people;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "impact_records_rollup" AFTER INSERT ON "green"."impact_records"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "green"."impact_rollup"();--> statement-breakpoint
-- Impact records are evidence and the rollups sum them: a record is never changed or deleted (a
-- refund adds a reversing record). Emptying the table (a rebuild by replay) empties the rollups.
CREATE FUNCTION "green"."impact_records_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'green.impact_records is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "impact_records_append_only" BEFORE UPDATE OR DELETE ON "green"."impact_records"
  FOR EACH ROW EXECUTE FUNCTION "green"."impact_records_append_only"();--> statement-breakpoint
CREATE FUNCTION "green"."impact_rollup_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE "green"."impact_daily", "green"."impact_day_members", "green"."impact_day_people";
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "impact_records_rollup_truncate" AFTER TRUNCATE ON "green"."impact_records"
  FOR EACH STATEMENT EXECUTE FUNCTION "green"."impact_rollup_truncate"();--> statement-breakpoint
-- The history so far, rolled up once.
INSERT INTO "green"."impact_daily"
  ("owner", "day", "category", "factor_key", "factor_version", "co2e_grams", "water_litres", "plastic_grams", "green_points", "records")
SELECT o.owner, (r.occurred_at AT TIME ZONE 'UTC')::date, r.category, coalesce(r.factor_key, ''), coalesce(r.factor_version, 0),
       sum(r.co2e_grams), sum(r.water_litres), sum(r.plastic_grams), sum(r.green_points), count(*)
FROM "green"."impact_records" r CROSS JOIN LATERAL (VALUES ('platform'), (r.merchant_id::text)) AS o(owner)
WHERE o.owner IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
INSERT INTO "green"."impact_day_members" ("owner", "category", "day", "user_id")
SELECT DISTINCT o.owner, r.category, (r.occurred_at AT TIME ZONE 'UTC')::date, r.user_id
FROM "green"."impact_records" r CROSS JOIN LATERAL (VALUES ('platform'), (r.merchant_id::text)) AS o(owner)
WHERE o.owner IS NOT NULL;--> statement-breakpoint
INSERT INTO "green"."impact_day_people" ("owner", "category", "day", "people")
SELECT "owner", "category", "day", count(*) FROM "green"."impact_day_members" GROUP BY 1, 2, 3;
