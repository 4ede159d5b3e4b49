ALTER TABLE "ledger"."merchant_copies" ADD COLUMN "name" text;--> statement-breakpoint
-- Copies made before the ledger kept names take them from the merchants' own table, once (the
-- migration runs as the schemas' owner; at run time the ledger learns them from MerchantRegistered and MerchantProfileUpdated).
UPDATE "ledger"."merchant_copies" AS c SET "name" = m."name" FROM "merchants"."merchants" AS m WHERE m."id" = c."merchant_id" AND c."name" IS NULL;
