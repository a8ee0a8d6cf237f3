-- Portal search filtered by agency (issue 8, R-P17): the newest public matches of one agency are found
-- by walking this index newest first, instead of ranking every match of the words in every agency.
CREATE INDEX publications_public_agency ON publications (agency_id, published_on DESC, id DESC) WHERE status IN ('published', 'withdrawn');
