-- Portal search filtered by agency (issue 8, R-P17). Beside its week (0162), each published row's search
-- vector carries one lexeme for its agency ('§a' and the agency id without hyphens). A search filtered by
-- agency or region then asks GIN for the words, the agencies and the probe's weeks together, instead of
-- walking the agency's date index past every decision of the agency that lacks the words. '§' is kept out of
-- every query (searchTokens strips it), so nobody can search for an agency's lexeme.
CREATE FUNCTION publication_agency_lexeme(a uuid) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT '§a' || replace(a::text, '-', '') $$;

UPDATE publications SET search = search || array_to_tsvector(ARRAY[publication_agency_lexeme(agency_id)])
 WHERE search IS NOT NULL;
