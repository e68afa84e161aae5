-- Level 11: the full-text document of a customer strips its accents once (issue 15).
-- carnet_fts_doc (level 5) folds the five columns joined with carnet_fold, whose CASE strips
-- the accents of a text twice when it has any: once to test whether the result is plain
-- ASCII, once more to return it. In a French file most documents have an accent (70 % of the
-- bench's), so the index expression cost 7.7 s of server CPU for a million customers, paid
-- by every import. carnet_fold_plain strips them once (plpgsql keeps the stripped text in a
-- variable, which an SQL expression cannot), and answers NULL for what is left to
-- carnet_fold's own way (letters that do not decompose: Æ, Ø, ẞ, Greek, Cyrillic…):
-- 4.7 s, the same documents (compared on the bench's million customers: no difference).
-- carnet_fold itself stays an SQL expression: the filters inline its ASCII branch column by
-- column, which a plpgsql function would lose. The index is rebuilt with its new expression.
-- carnet_fold_plain calls built-in functions only (pg_catalog): no search_path to pin.
-- Never edit once landed.
CREATE FUNCTION carnet_fold_plain(value text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  stripped text;
BEGIN
  IF value !~ '[^\x01-\x7f]' THEN
    RETURN lower(value COLLATE "C");
  END IF;
  stripped := regexp_replace(normalize(value, NFD), '[\u0300-\u036f]', '', 'g');
  IF stripped !~ '[^\x01-\x7f]' THEN
    RETURN lower(stripped COLLATE "C");
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION carnet_fts_doc(a text, b text, c text, d text, e text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN to_tsvector('simple'::regconfig, regexp_replace(coalesce(
  carnet_fold_plain(coalesce(a, '') || ' ' || coalesce(b, '') || ' ' || coalesce(c, '') || ' ' || coalesce(d, '') || ' ' || coalesce(e, '')),
  carnet_fold(coalesce(a, '') || ' ' || coalesce(b, '') || ' ' || coalesce(c, '') || ' ' || coalesce(d, '') || ' ' || coalesce(e, ''))),
  '[!-/:-@[-`{-~]+', ' ', 'g'));

REINDEX INDEX customers_fts;
