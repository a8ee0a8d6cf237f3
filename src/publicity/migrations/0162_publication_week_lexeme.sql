-- Portal search bounded by publication date inside GIN (issue 8, R-P17). Each published row's search
-- vector carries one lexeme for its publication week ('§w' and the week's number since Monday
-- 2000-01-03). The search's date probes AND the weeks of their window into the tsquery, so GIN yields only
-- hits of those weeks instead of every hit of the words. No text or query lexeme can contain '§'
-- (searchTokens strips it), so nobody can search for a week or match one by accident.
CREATE FUNCTION publication_week_lexeme(d date) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT '§w' || ((d - DATE '2000-01-03') / 7) $$;

UPDATE publications SET search = search || array_to_tsvector(ARRAY[publication_week_lexeme(published_on)])
 WHERE search IS NOT NULL AND published_on IS NOT NULL;
