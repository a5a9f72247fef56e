CREATE SCHEMA "platform";
--> statement-breakpoint
CREATE TABLE "platform"."access_revocations" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform"."inbox" (
	"event_id" uuid NOT NULL,
	"subscription" text NOT NULL,
	"event_type" text NOT NULL,
	"handled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_subscription_event_id_pk" PRIMARY KEY("subscription","event_id")
);
--> statement-breakpoint
CREATE TABLE "platform"."rate_limit_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer NOT NULL,
	"resets_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "access_revocations_recorded_at_index" ON "platform"."access_revocations" USING btree ("recorded_at");