ALTER TABLE "ledger"."merchant_copies" ADD COLUMN "category" text;--> statement-breakpoint
-- Copies made before the ledger kept categories take them from the merchants' own table, once (the
-- migration runs as the schemas' owner; at run time the ledger learns them from MerchantRegistered and MerchantProfileUpdated).
UPDATE "ledger"."merchant_copies" AS c SET "category" = m."category" FROM "merchants"."merchants" AS m WHERE m."id" = c."merchant_id" AND c."category" IS NULL;
