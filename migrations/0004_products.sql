-- Written by hand: drizzle-kit does not manage extensions. pg_trgm backs the trigram index that
-- serves the catalog's case-insensitive substring search (?q=). It is a trusted extension, so a
-- database owner without superuser rights may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE "products"."order_reservations" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_reservations_status_check" CHECK ("products"."order_reservations"."status" in ('reserved', 'rejected', 'committed', 'released', 'restocked', 'cancelled_before_reservation'))
);
--> statement-breakpoint
CREATE TABLE "products"."products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"price_cents" integer NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"stock" integer NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_stock_check" CHECK ("products"."products"."stock" >= 0),
	CONSTRAINT "products_reserved_check" CHECK ("products"."products"."reserved" >= 0),
	CONSTRAINT "products_reserved_within_stock_check" CHECK ("products"."products"."reserved" <= "products"."products"."stock"),
	CONSTRAINT "products_price_cents_check" CHECK ("products"."products"."price_cents" > 0),
	CONSTRAINT "products_currency_check" CHECK ("products"."products"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "products"."reservation_lines" (
	"order_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "reservation_lines_order_id_product_id_pk" PRIMARY KEY("order_id","product_id"),
	CONSTRAINT "reservation_lines_quantity_check" CHECK ("products"."reservation_lines"."quantity" > 0)
);
--> statement-breakpoint
ALTER TABLE "products"."reservation_lines" ADD CONSTRAINT "reservation_lines_order_id_order_reservations_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "products"."order_reservations"("order_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products"."reservation_lines" ADD CONSTRAINT "reservation_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "products"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "products_sku_key" ON "products"."products" USING btree ("sku");--> statement-breakpoint
CREATE INDEX "products_page_idx" ON "products"."products" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "products_search_idx" ON "products"."products" USING gin ("name" gin_trgm_ops,"sku" gin_trgm_ops);