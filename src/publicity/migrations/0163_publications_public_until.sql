-- The daily expiry job (expireDue, R-P11 公示期限) asks for the public entries whose period has ended,
-- oldest first: without this index it read the whole register each day (found at 10 million rows).
CREATE INDEX publications_public_until ON publications (public_until)
  WHERE status IN ('published', 'withdrawn') AND public_until IS NOT NULL;
