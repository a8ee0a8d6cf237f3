-- Portal search filtered by agency, kind and decision dates (issue 8, R-P17). The agency's public index also
-- carries each entry's decision date and kind. A search walks it newest first, and btree checks kind and
-- decided_on on the index entry itself, so the newest decisions outside the dates cost no heap read each
-- (a month of a large agency's decisions, when the range ends a month before the newest publication).
DROP INDEX publications_public_agency;
CREATE INDEX publications_public_agency ON publications (agency_id, published_on DESC, id DESC, decided_on, kind) WHERE status IN ('published', 'withdrawn');
