-- Reports over many people count a record in the UTC month it was recorded in, not the one it
-- happened in: a purchase or an activity can be backdated into a month already published (an
-- activity up to 31 days, a purchase further), and the same closed month asked before and after
-- would differ by that one record. recorded_at is the time of the event a record came from, so a
-- replay keeps it.
ALTER TABLE "green"."impact_records" ADD COLUMN "recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "green"."impact_records" DISABLE TRIGGER "impact_records_append_only";--> statement-breakpoint
-- A record was recorded when the event it came from was (the inbox keeps it, as a replay reads it);
-- where the inbox row is gone, when it happened.
UPDATE "green"."impact_records" SET "recorded_at" = "occurred_at";--> statement-breakpoint
WITH src AS (
  SELECT CASE "type"
           WHEN 'PurchaseRecorded' THEN 'purchase:' || ("payload"->>'purchaseId')
           WHEN 'PurchaseRefunded' THEN 'refund:' || ("payload"->>'refundId')
           ELSE 'activity:' || ("payload"->>'activityId')
         END AS "source", min("occurred_at") AS "at"
  FROM "green"."inbox" WHERE "type" IN ('PurchaseRecorded', 'PurchaseRefunded', 'GreenActivityCredited')
  GROUP BY 1)
UPDATE "green"."impact_records" r SET "recorded_at" = src."at" FROM src
WHERE src."source" = CASE WHEN r."source_ref" LIKE 'activity:%' THEN r."source_ref" ELSE split_part(r."source_ref", ':', 1) || ':' || split_part(r."source_ref", ':', 2) END;--> statement-breakpoint
ALTER TABLE "green"."impact_records" ENABLE TRIGGER "impact_records_append_only";--> statement-breakpoint
ALTER TABLE "green"."impact_records" ALTER COLUMN "recorded_at" SET NOT NULL;--> statement-breakpoint
-- The pass deciding merchants' cells reads a period of recording.
CREATE INDEX "impact_records_recorded_idx" ON "green"."impact_records" USING btree ("recorded_at");--> statement-breakpoint
-- The rollups key days by recording from now on (the function of 0018 otherwise unchanged).
CREATE OR REPLACE FUNCTION "green"."impact_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- One writer at a time: a consumer's transaction inserts records event by event, so two of them
  -- (replicas, or the seed's parallel deliveries) would take the rollup's rows in different orders
  -- and deadlock. The lock is held to commit; only the consumers write impact records.
  PERFORM pg_advisory_xact_lock(hashtext('green.impact_rollup'));
  -- Keys in a fixed order all the same.
  INSERT INTO "green"."impact_daily" AS d
    ("owner", "day", "category", "factor_key", "factor_version", "co2e_grams", "water_litres", "plastic_grams", "green_points", "records")
  SELECT o.owner, (n.recorded_at AT TIME ZONE 'UTC')::date, n.category, coalesce(n.factor_key, ''), coalesce(n.factor_version, 0),
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
    SELECT DISTINCT o.owner, n.category, (n.recorded_at AT TIME ZONE 'UTC')::date, n.user_id
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
-- And they are rebuilt on that key (the same as before for the records so far).
TRUNCATE "green"."impact_daily", "green"."impact_day_members", "green"."impact_day_people";--> statement-breakpoint
INSERT INTO "green"."impact_daily"
  ("owner", "day", "category", "factor_key", "factor_version", "co2e_grams", "water_litres", "plastic_grams", "green_points", "records")
SELECT o.owner, (r.recorded_at AT TIME ZONE 'UTC')::date, r.category, coalesce(r.factor_key, ''), coalesce(r.factor_version, 0),
       sum(r.co2e_grams), sum(r.water_litres), sum(r.plastic_grams), sum(r.green_points), count(*)
FROM "green"."impact_records" r CROSS JOIN LATERAL (VALUES ('platform'), (r.merchant_id::text)) AS o(owner)
WHERE o.owner IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
INSERT INTO "green"."impact_day_members" ("owner", "category", "day", "user_id")
SELECT DISTINCT o.owner, r.category, (r.recorded_at AT TIME ZONE 'UTC')::date, r.user_id
FROM "green"."impact_records" r CROSS JOIN LATERAL (VALUES ('platform'), (r.merchant_id::text)) AS o(owner)
WHERE o.owner IS NOT NULL;--> statement-breakpoint
INSERT INTO "green"."impact_day_people" ("owner", "category", "day", "people")
SELECT "owner", "category", "day", count(*) FROM "green"."impact_day_members" GROUP BY 1, 2, 3;
