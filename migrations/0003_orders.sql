CREATE TABLE "orders"."customers" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders"."order_items" (
	"order_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_cents" bigint NOT NULL,
	CONSTRAINT "order_items_order_id_product_id_pk" PRIMARY KEY("order_id","product_id"),
	CONSTRAINT "order_items_quantity_check" CHECK ("orders"."order_items"."quantity" between 1 and 100),
	CONSTRAINT "order_items_unit_price_check" CHECK ("orders"."order_items"."unit_price_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "orders"."orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"total_cents" bigint NOT NULL,
	"currency" text NOT NULL,
	"shipping_address" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_status_check" CHECK ("orders"."orders"."status" in ('pending', 'awaiting_payment', 'paid', 'rejected', 'cancelled', 'refunded')),
	CONSTRAINT "orders_total_check" CHECK ("orders"."orders"."total_cents" >= 0),
	CONSTRAINT "orders_currency_check" CHECK ("orders"."orders"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
ALTER TABLE "orders"."order_items" ADD CONSTRAINT "order_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_customer_page_idx" ON "orders"."orders" USING btree ("customer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_page_idx" ON "orders"."orders" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders"."orders" USING btree ("status");