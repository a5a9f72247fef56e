CREATE SCHEMA "events";
--> statement-breakpoint
CREATE TABLE "events"."log" (
	"position" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "events"."log_position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transaction_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events"."subscriptions" (
	"name" text PRIMARY KEY NOT NULL,
	"types" text[] NOT NULL,
	"transaction_id" "xid8" NOT NULL,
	"position" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "log_type_transaction_id_position_index" ON "events"."log" USING btree ("type","transaction_id","position");--> statement-breakpoint
CREATE INDEX "log_occurred_at_index" ON "events"."log" USING btree ("occurred_at");--> statement-breakpoint
-- Processes that host subscriptions LISTEN on shop_events: one notification per appending
-- statement names the publishing process (so it ignores its own, woken in process already) and the
-- event types appended (so only subscriptions that read them look).
CREATE FUNCTION "events"."notify_appended"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('shop_events', coalesce(current_setting('shop.instance', true), '') || ' ' || (SELECT string_agg(DISTINCT type, ' ') FROM appended));
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "log_appended" AFTER INSERT ON "events"."log" REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION "events"."notify_appended"();
