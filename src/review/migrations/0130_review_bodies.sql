-- R-L02: each agency's review body (its legal unit, or another named unit whose roster reviews), registered
-- with its justice bureau. Set by the justice bureau's side, never by the agency itself: it decides who
-- reviews. Without a row, an agency's own legal unit (agencies.review_unit) reviews; an entrusted
-- organisation's decisions go to the entrusting agency's body; a government's to its justice bureau.
CREATE TABLE review_bodies (
  agency_id          uuid PRIMARY KEY REFERENCES agencies(id),
  body_agency_id     uuid NOT NULL REFERENCES agencies(id),
  unit_name          text NOT NULL,
  justice_bureau_id  uuid NOT NULL REFERENCES agencies(id),
  registered_on      date NOT NULL,
  event_id           bigint NOT NULL REFERENCES events(id),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- 行政处罚法第五十八条第二款: a first-time reviewer holds the legal professional qualification; the
-- roster records its certificate number.
ALTER TABLE reviewers ADD COLUMN legal_qualification_no text NOT NULL DEFAULT '';

-- R-L08: per-agency review rules (time limit in working days, warning, complete submission, opinion
-- format, assignment), versioned like the AV-record lists.
CREATE TABLE review_rule_sets (
  id              uuid PRIMARY KEY,
  agency_id       uuid NOT NULL REFERENCES agencies(id),
  version         integer NOT NULL CHECK (version >= 1),
  effective_from  date NOT NULL,
  rules           jsonb NOT NULL,
  note            text NOT NULL DEFAULT '',
  created_by      uuid,
  event_id        bigint NOT NULL REFERENCES events(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, version)
);
CREATE TRIGGER review_rule_sets_append_only BEFORE UPDATE OR DELETE ON review_rule_sets FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Per submission: where it was routed, under which rules, its clock, the decision content it proposes
-- (the gate compares the decision with it, R-L01) and the unit's point-by-point answers to the last
-- round's problems (R-L07).
CREATE TABLE legal_review_routes (
  review_id         uuid PRIMARY KEY REFERENCES legal_reviews(id),
  case_id           uuid NOT NULL REFERENCES cases(id),
  body_agency_id    uuid NOT NULL REFERENCES agencies(id),
  unit_name         text NOT NULL,
  route             text NOT NULL CHECK (route IN ('own', 'named', 'entrusting', 'justice_bureau')),
  rule_set_id       uuid REFERENCES review_rule_sets(id),
  rule_set_version  integer,
  due_on            date NOT NULL,
  warn_on           date NOT NULL,
  content           jsonb NOT NULL,
  answers           jsonb NOT NULL DEFAULT '[]',
  event_id          bigint NOT NULL REFERENCES events(id)
);
CREATE INDEX legal_review_routes_body ON legal_review_routes (body_agency_id, due_on);
CREATE INDEX legal_review_routes_case ON legal_review_routes (case_id);
CREATE TRIGGER legal_review_routes_append_only BEFORE UPDATE OR DELETE ON legal_review_routes FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- R-L08: disagreement between the review body and the handling unit, escalated and settled by the agency
-- head, a collective discussion (participants and conclusion) or the expert committee's written advice.
CREATE TABLE review_coordinations (
  id             uuid PRIMARY KEY,
  case_id        uuid NOT NULL REFERENCES cases(id),
  review_id      uuid NOT NULL REFERENCES legal_reviews(id),
  raised_by      uuid NOT NULL,
  raised_side    text NOT NULL CHECK (raised_side IN ('handling_unit', 'review_body')),
  reason         text NOT NULL,
  raised_on      date NOT NULL,
  method         text CHECK (method IN ('head', 'collective', 'experts')),
  participants   jsonb NOT NULL DEFAULT '[]',
  expert_advice  jsonb NOT NULL DEFAULT '[]',
  conclusion     text,
  decided_by     uuid,
  decided_on     date,
  document_id    uuid REFERENCES case_documents(id),
  event_id       bigint NOT NULL REFERENCES events(id)
);
CREATE INDEX review_coordinations_case ON review_coordinations (case_id);
