-- 双随机一公开 (R-D01, R-D02, R-P05, R-P15): the matter list, the two directories, plans, tasks, the
-- one commitment per task, the parties' committed secrets and reveals, the draw, the inspections and
-- their published results. Commitments, reveals and draws are append-only: a redo is a new task.

-- R-P05 随机抽查事项清单. Kept generic (agency, code, name, category, basis, kind) so the matter-list
-- issue (before-enforcement publicity) can adopt this table instead of making its own.
CREATE TABLE inspection_matters (
  id          uuid PRIMARY KEY,
  agency_id   uuid NOT NULL REFERENCES agencies (id),
  code        text NOT NULL,
  name        text NOT NULL,
  category    text NOT NULL,            -- 执法类别 the officers' certificates must cover (R-P08)
  legal_basis text NOT NULL DEFAULT '',
  object_type text NOT NULL DEFAULT '企业',
  method      text NOT NULL DEFAULT '现场检查',
  kind        text NOT NULL DEFAULT 'general' CHECK (kind IN ('general', 'key')),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, code)
);

-- 检查对象名录库 (R-D01).
CREATE TABLE inspection_objects (
  id            uuid PRIMARY KEY,
  credit_code   text NOT NULL UNIQUE,
  name          text NOT NULL,
  kind          text NOT NULL DEFAULT 'enterprise' CHECK (kind IN ('enterprise', 'individual', 'product', 'project', 'site', 'other')),
  region_code   text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  agency_id     uuid NOT NULL REFERENCES agencies (id),
  tags          text[] NOT NULL DEFAULT '{}',
  credit_class  text NOT NULL CHECK (credit_class IN ('A', 'B', 'C', 'D')),
  class_set_on  date NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inspection_objects_agency ON inspection_objects (agency_id, credit_class);
-- A class change is an event (and a row here): the draw reads the class as of the task's fixed date.
CREATE TABLE inspection_object_classes (
  object_id     uuid NOT NULL REFERENCES inspection_objects (id),
  credit_class  text NOT NULL CHECK (credit_class IN ('A', 'B', 'C', 'D')),
  set_on        date NOT NULL,
  PRIMARY KEY (object_id, set_on)
);

-- 执法检查人员名录库 (R-D01): a profile over a registry officer.
CREATE TABLE inspectors (
  officer_id    uuid PRIMARY KEY REFERENCES officers (id),
  agency_id     uuid NOT NULL REFERENCES agencies (id),
  categories    text[] NOT NULL DEFAULT '{}',
  areas         text[] NOT NULL DEFAULT '{}',   -- region-code prefixes the officer may inspect
  unit          text NOT NULL DEFAULT '',       -- 科室/所: 所所交叉 excludes the object's own unit
  available     boolean NOT NULL DEFAULT true,
  workload_cap  int NOT NULL DEFAULT 40 CHECK (workload_cap > 0),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Declared conflicts (回避): relatives, past employment, own jurisdiction.
CREATE TABLE inspector_conflicts (
  id           uuid PRIMARY KEY,
  officer_id   uuid NOT NULL REFERENCES inspectors (officer_id),
  credit_code  text NOT NULL,
  reason       text NOT NULL CHECK (reason IN ('relative', 'past_employment', 'own_jurisdiction', 'other')),
  note         text NOT NULL DEFAULT '',
  declared_on  date NOT NULL,
  UNIQUE (officer_id, credit_code)
);

CREATE TABLE inspection_plans (
  id            uuid PRIMARY KEY,
  agency_id     uuid NOT NULL REFERENCES agencies (id),   -- lead (发起部门) of a joint plan
  year          int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title         text NOT NULL,
  joint         boolean NOT NULL DEFAULT false,
  departments   uuid[] NOT NULL DEFAULT '{}',             -- every department of a joint plan, lead first
  parties       text[] NOT NULL,                          -- independent parties whose secrets seed the draws (≥ 2)
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  published_on  date,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inspection_tasks (
  id               uuid PRIMARY KEY,
  plan_id          uuid NOT NULL REFERENCES inspection_plans (id),
  agency_id        uuid NOT NULL REFERENCES agencies (id),
  matter_id        uuid NOT NULL REFERENCES inspection_matters (id),
  title            text NOT NULL,
  batch            int NOT NULL DEFAULT 1,
  scope            jsonb NOT NULL,          -- deterministic predicates over directory fields
  ratios           jsonb NOT NULL,          -- {"A":{"ratioBp":300,"min":0,"max":null},…}
  rounding         text NOT NULL CHECK (rounding IN ('ceil', 'floor', 'half_up')),
  class_as_of      date NOT NULL,
  yearly_cap       int NOT NULL DEFAULT 1 CHECK (yearly_cap > 0),
  rotation_days    int NOT NULL DEFAULT 365 CHECK (rotation_days >= 0),
  team_size        int NOT NULL DEFAULT 2 CHECK (team_size >= 2),
  inspection_date  date NOT NULL,
  redo_of          uuid REFERENCES inspection_tasks (id),
  redo_reason      text,
  status           text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'committed', 'drawn')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((redo_of IS NULL) = (redo_reason IS NULL))
);
CREATE INDEX inspection_tasks_plan ON inspection_tasks (plan_id);

-- One commitment per task, ever (R-D02): the primary key refuses a second, the trigger any change.
CREATE TABLE inspection_commitments (
  task_id      uuid PRIMARY KEY REFERENCES inspection_tasks (id),
  document     jsonb NOT NULL,        -- classes (count, quota, root), sources with hashes, officer pool digest
  candidates   jsonb NOT NULL,        -- [{class, creditCodes}] in byte order
  pool         jsonb NOT NULL,        -- officer pool per department with eligibility inputs
  event_id     bigint NOT NULL,
  commitment   bytea NOT NULL,        -- the event's ledger commitment, to find its leaf
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER inspection_commitments_append_only BEFORE UPDATE OR DELETE ON inspection_commitments FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE inspection_reveals (
  task_id      uuid NOT NULL REFERENCES inspection_commitments (task_id),
  source       text NOT NULL,
  value        text NOT NULL CHECK (value ~ '^([0-9a-f]{2})+$'),
  revealed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, source)
);
CREATE TRIGGER inspection_reveals_append_only BEFORE UPDATE OR DELETE ON inspection_reveals FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE inspection_draws (
  task_id      uuid PRIMARY KEY REFERENCES inspection_commitments (task_id),
  leaf_hash    text NOT NULL,
  ledger_index bigint NOT NULL,
  seed         text NOT NULL,
  selected     jsonb NOT NULL,
  teams        jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER inspection_draws_append_only BEFORE UPDATE OR DELETE ON inspection_draws FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Team members per object, with later replacements (回避, leave) logged with their reason.
CREATE TABLE inspection_assignments (
  task_id       uuid NOT NULL REFERENCES inspection_tasks (id),
  credit_code   text NOT NULL,
  officer_id    uuid NOT NULL,
  department_id uuid NOT NULL,
  rank          int NOT NULL,
  inspection_date date NOT NULL,
  replaced_by   uuid,
  replace_reason text,
  PRIMARY KEY (task_id, credit_code, officer_id)
);
CREATE INDEX inspection_assignments_officer ON inspection_assignments (officer_id, credit_code);

-- Each drawn object: its inspection case and result (R-P15).
CREATE TABLE inspection_results (
  task_id        uuid NOT NULL REFERENCES inspection_tasks (id),
  credit_code    text NOT NULL,
  case_id        uuid,
  result_codes   text[] NOT NULL DEFAULT '{}',
  inspected_on   date,
  publish_by     date,
  follow_up      text CHECK (follow_up IN ('none', 'rectify', 'transfer', 'notify')),
  penalty_case_id uuid,
  notice_to      text,
  note           text NOT NULL DEFAULT '',
  PRIMARY KEY (task_id, credit_code)
);

-- The public projection of results: no personal data (company name, credit code, result, dates).
CREATE TABLE inspection_publications (
  task_id       uuid NOT NULL REFERENCES inspection_tasks (id),
  credit_code   text NOT NULL,
  name          text NOT NULL,
  agency_name   text NOT NULL,
  result_codes  text[] NOT NULL,
  inspected_on  date NOT NULL,
  published_on  date NOT NULL,
  digest        text NOT NULL,
  PRIMARY KEY (task_id, credit_code)
);
CREATE TRIGGER inspection_publications_append_only BEFORE UPDATE OR DELETE ON inspection_publications FOR EACH ROW EXECUTE FUNCTION refuse_change();
