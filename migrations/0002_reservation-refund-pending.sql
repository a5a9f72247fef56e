ALTER TABLE "payments"."payable_orders" ALTER COLUMN "customer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payments"."payable_orders" ALTER COLUMN "total_cents" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payments"."payable_orders" ALTER COLUMN "currency" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payments"."payable_orders" ADD COLUMN "stock" text;--> statement-breakpoint
ALTER TABLE "payments"."payable_orders" ADD COLUMN "cancelled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "payments"."payable_orders" ADD COLUMN "paid" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "products"."order_reservations" ADD COLUMN "refund_pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "payments"."payable_orders" ADD CONSTRAINT "payable_orders_stock_check" CHECK ("payments"."payable_orders"."stock" in ('reserved', 'rejected'));