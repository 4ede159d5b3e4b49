-- 0017's rollup deadlocked when two transactions inserted impact records for several days each
-- (seen seeding 200,000 users: the seed delivers in parallel). The rollup now takes one
-- transaction-level lock first, so its writers queue instead of deadlocking.
CREATE OR REPLACE FUNCTION "green"."impact_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- One writer at a time: a consumer's transaction inserts records event by event, so two of them
  -- (replicas, or the seed's parallel deliveries) would take the rollup's rows in different orders
  -- and deadlock. The lock is held to commit; only the consumers write impact records.
  PERFORM pg_advisory_xact_lock(hashtext('green.impact_rollup'));
  -- Keys in a fixed order all the same.
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
$$;
