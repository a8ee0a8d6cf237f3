-- Case-handling assistance (issue 13). The library's imported provisions and violations (the built-in
-- ones are code, src/assist/library.ts), and per case the discretion record: the violation, the ticked
-- circumstances, the level and amount, the benchmark version pinned when the record was first made,
-- the deviation (调整适用) and its approval, the generated 裁量说明, and the facts' search tokens.
CREATE TABLE assist_provisions (
  id             text PRIMARY KEY,
  agency_id      uuid NOT NULL REFERENCES agencies(id),
  law            text NOT NULL,
  article        integer NOT NULL CHECK (article >= 1),
  paragraph      integer CHECK (paragraph >= 1),
  item           integer CHECK (item >= 1),
  text           text NOT NULL,
  effective_from date NOT NULL,
  effective_to   date,
  amends         text,
  imported_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assist_violations (
  code        text PRIMARY KEY,
  agency_id   uuid NOT NULL REFERENCES agencies(id),
  name        text NOT NULL,
  violated    text NOT NULL,
  penalty     text NOT NULL,
  range_kind  text NOT NULL CHECK (range_kind IN ('fixed', 'range', 'multiple', 'maxOnly')),
  range_min   double precision NOT NULL,
  range_max   double precision NOT NULL,
  range_base  text,
  keywords    jsonb NOT NULL DEFAULT '[]',
  imported_at timestamptz NOT NULL DEFAULT now(),
  CHECK (range_min <= range_max)
);

CREATE TABLE case_discretion (
  case_id              uuid PRIMARY KEY REFERENCES cases(id),
  agency_id            uuid NOT NULL REFERENCES agencies(id),
  region_code          text NOT NULL,
  party_key            text NOT NULL,                 -- the party's ID number, or its name when none
  violation_code       text NOT NULL,
  benchmark_id         text NOT NULL,
  benchmark_version    integer NOT NULL,
  circumstances        jsonb NOT NULL,
  level                text NOT NULL,
  amount               double precision NOT NULL CHECK (amount >= 0),
  base_amount          double precision,
  mitigation_ground    text,
  first_offense_claim  boolean NOT NULL DEFAULT false,
  suggestion           jsonb,                         -- the accepted suggestion (rank, matched terms)
  facts_text           text NOT NULL DEFAULT '',
  facts_tokens         tsvector,
  deviation_reason     text,
  deviation_mode       text CHECK (deviation_mode IN ('head', 'collective')),
  deviation_opinion    text,
  deviation_approved_by uuid,
  deviation_approved_on date,
  deviation_event_id   bigint,
  explanation          text NOT NULL,
  decided_on           date,                          -- the day of the decision step that applied it
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_discretion_party ON case_discretion (party_key, violation_code, decided_on);
CREATE INDEX case_discretion_peer ON case_discretion (violation_code, level, region_code text_pattern_ops, decided_on);
CREATE INDEX case_discretion_tokens ON case_discretion USING gin (facts_tokens);
