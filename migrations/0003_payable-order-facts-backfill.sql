-- Payable orders written before their facts were kept: recover the facts from the status, so that
-- re-deriving the status from the facts (on the next event or payment) keeps it.
UPDATE "payments"."payable_orders"
SET "stock" = CASE "status" WHEN 'rejected' THEN 'rejected' WHEN 'awaiting_payment' THEN 'reserved' WHEN 'paid' THEN 'reserved' ELSE NULL END,
    "paid" = ("status" = 'paid'),
    "cancelled" = ("status" = 'cancelled');
