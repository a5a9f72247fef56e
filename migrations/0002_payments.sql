CREATE TABLE "payments"."idempotency_keys" (
	"customer_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_customer_id_key_pk" PRIMARY KEY("customer_id","key")
);
--> statement-breakpoint
CREATE TABLE "payments"."payable_orders" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"total_cents" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payable_orders_status_check" CHECK ("payments"."payable_orders"."status" in ('pending', 'awaiting_payment', 'paid', 'rejected', 'cancelled')),
	CONSTRAINT "payable_orders_total_check" CHECK ("payments"."payable_orders"."total_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"amount_cents" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text NOT NULL,
	"failure_reason" text,
	"card_last4" char(4) NOT NULL,
	"refunded_cents" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_status_check" CHECK ("payments"."payments"."status" in ('succeeded', 'failed', 'refunded', 'partially_refunded')),
	CONSTRAINT "payments_amount_check" CHECK ("payments"."payments"."amount_cents" > 0),
	CONSTRAINT "payments_refunded_check" CHECK ("payments"."payments"."refunded_cents" >= 0 and "payments"."payments"."refunded_cents" <= "payments"."payments"."amount_cents"),
	CONSTRAINT "payments_card_last4_check" CHECK ("payments"."payments"."card_last4" ~ '^[0-9]{4}$')
);
--> statement-breakpoint
CREATE TABLE "payments"."refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount_cents" bigint NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_amount_check" CHECK ("payments"."refunds"."amount_cents" > 0)
);
--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_order_page_idx" ON "payments"."payments" USING btree ("order_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_charge_per_order_key" ON "payments"."payments" USING btree ("order_id") WHERE "payments"."payments"."status" in ('succeeded', 'refunded', 'partially_refunded');--> statement-breakpoint
CREATE INDEX "refunds_payment_idx" ON "payments"."refunds" USING btree ("payment_id","created_at");