-- The French département of a postal code, declared once: a generated column of
-- customers (stored: PostgreSQL has no virtual ones), read by the customer_facts
-- view and by categorise.
ALTER TABLE customers ADD COLUMN department text COLLATE "C" GENERATED ALWAYS AS (
  CASE
    WHEN postal_code IS NULL OR length(postal_code) < 2 THEN NULL
    WHEN substr(postal_code, 1, 2) = '97' OR substr(postal_code, 1, 2) = '98' THEN substr(postal_code, 1, 3)
    WHEN substr(postal_code, 1, 2) = '20' AND substr(postal_code, 1, 3) IN ('200', '201') THEN '2A'
    WHEN substr(postal_code, 1, 2) = '20' THEN '2B'
    ELSE substr(postal_code, 1, 2)
  END
) STORED;

DROP VIEW customer_facts;
-- Customer columns (department included) plus derived facts, the one surface the filter language reads.
CREATE VIEW customer_facts AS
SELECT
  c.*,
  coalesce((SELECT sum(s.amount_cents) FROM sales s
            WHERE s.customer_id = c.id AND s.kind IN ('invoice', 'credit') AND s.status NOT IN ('cancelled', 'draft')), 0)::double precision / 100.0 AS revenue,
  (SELECT count(*) FROM sales s
    WHERE s.customer_id = c.id AND s.kind IN ('order', 'invoice') AND s.status NOT IN ('cancelled', 'draft', 'refused')) AS orders,
  (SELECT max(s.issued_on) FROM sales s
    WHERE s.customer_id = c.id AND s.kind IN ('order', 'invoice') AND s.status NOT IN ('cancelled', 'draft', 'refused')) AS last_purchase_at,
  coalesce((SELECT sum(s.amount_cents) FROM sales s
            WHERE s.customer_id = c.id AND s.kind = 'invoice' AND s.status = 'unpaid'), 0)::bigint AS unpaid_cents,
  (SELECT string_agg(cat.name, ',' ORDER BY cat.id) FROM categories cat
    WHERE cat.id IN (SELECT cc.category_id FROM customer_categories cc WHERE cc.customer_id = c.id)) AS categories
FROM customers c;
