-- Registry: enforcement bodies (R-P02), officers and certificates (R-P03, R-P08, R-S04),
-- reviewers and legal advisers (R-L02, R-L03).

CREATE TABLE agencies (
  id                   uuid PRIMARY KEY,
  name                 text NOT NULL,
  credit_code          text NOT NULL UNIQUE,          -- 统一社会信用代码, GB 32100-2015
  kind                 text NOT NULL CHECK (kind IN ('enforcement', 'justice_bureau', 'government')),
  level                text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township')),
  region_code          text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),  -- GB/T 2260
  legal_status         text NOT NULL CHECK (legal_status IN ('statutory', 'authorized', 'entrusted')),
  entrusting_agency_id uuid REFERENCES agencies(id),
  fields               text[] NOT NULL DEFAULT '{}',  -- 执法领域
  duties               text NOT NULL DEFAULT '',
  legal_basis          text NOT NULL DEFAULT '',
  parent_id            uuid REFERENCES agencies(id),
  review_unit          text NOT NULL DEFAULT '',      -- 法制审核机构 (R-L02)
  address              text NOT NULL DEFAULT '',
  phone                text NOT NULL DEFAULT '',
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((legal_status = 'entrusted') = (entrusting_agency_id IS NOT NULL))
);
CREATE INDEX agencies_region ON agencies (region_code text_pattern_ops);

CREATE TABLE officers (
  id                    uuid PRIMARY KEY,
  agency_id             uuid NOT NULL REFERENCES agencies(id),
  name                  text NOT NULL,
  gender                text CHECK (gender IN ('male', 'female')),
  id_number             text,                           -- personal data: never public, never logged
  certificate_number    text NOT NULL UNIQUE,
  issuer_type           text NOT NULL CHECK (issuer_type IN ('province', 'state_council')),
  justice_registration  text,                           -- 备案号 with the local justice bureau (R-P08)
  category              text NOT NULL,                  -- 执法类别
  area                  text NOT NULL,                  -- 执法区域
  valid_from            date NOT NULL,
  valid_to              date NOT NULL,
  status                text NOT NULL CHECK (status IN ('valid', 'suspended', 'revoked')),
  qualification         text NOT NULL CHECK (qualification IN ('exam', 'legal_professional')),
  exam_passed_on        date,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to >= valid_from),
  -- R-P08: a State Council certificate is usable locally only once registered with the justice bureau.
  -- R-S04: a certificate only after the exam, or by legal professional qualification.
  CHECK (qualification = 'legal_professional' OR exam_passed_on IS NOT NULL)
);
CREATE INDEX officers_agency ON officers (agency_id, name);
CREATE INDEX officers_name ON officers (name text_pattern_ops);
CREATE INDEX officers_cert_prefix ON officers (certificate_number text_pattern_ops);

CREATE TABLE training_records (
  id          uuid PRIMARY KEY,
  officer_id  uuid NOT NULL REFERENCES officers(id),
  title       text NOT NULL,
  held_on     date NOT NULL,
  hours       numeric(5,1) NOT NULL CHECK (hours > 0),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_records_officer ON training_records (officer_id, held_on DESC);

-- 法制审核人员、法律顾问、公职律师 roster, per agency or per justice bureau (R-L03).
CREATE TABLE reviewers (
  id          uuid PRIMARY KEY,
  agency_id   uuid NOT NULL REFERENCES agencies(id),
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('reviewer', 'legal_adviser', 'public_lawyer')),
  qualification text NOT NULL DEFAULT '',
  phone       text NOT NULL DEFAULT '',
  shared      boolean NOT NULL DEFAULT false,            -- may serve other agencies of the system
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reviewers_agency ON reviewers (agency_id);
