-- 任务分解推进表 (R-S01): rows imported from the bureau's spreadsheet (main task, breakdown, requirement,
-- responsible units, deadline), assigned to agencies, with progress reports; overdue is computed.
CREATE TABLE supervision_tasks (
  id             uuid PRIMARY KEY,
  bureau_id      uuid NOT NULL REFERENCES agencies(id),
  region_code    text NOT NULL,
  source_doc     text NOT NULL,
  seq            integer NOT NULL,
  main_task      text NOT NULL,
  breakdown      text NOT NULL,
  requirement    text NOT NULL,
  responsible    text NOT NULL,
  agency_ids     uuid[] NOT NULL DEFAULT '{}',
  deadline_text  text NOT NULL,
  deadline       date,                               -- null: 长期执行 / 长期推进
  status         text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supervision_tasks_region ON supervision_tasks (region_code text_pattern_ops, source_doc, seq);
CREATE TRIGGER supervision_tasks_no_delete BEFORE DELETE ON supervision_tasks FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE supervision_task_reports (
  id          uuid PRIMARY KEY,
  task_id     uuid NOT NULL REFERENCES supervision_tasks(id),
  agency_id   uuid NOT NULL REFERENCES agencies(id),
  on_date     date NOT NULL,
  text        text NOT NULL,
  done        boolean NOT NULL,
  event_id    bigint NOT NULL REFERENCES events(id),
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supervision_task_reports_task ON supervision_task_reports (task_id, created_at);
CREATE TRIGGER supervision_task_reports_append_only BEFORE UPDATE OR DELETE ON supervision_task_reports FOR EACH ROW EXECUTE FUNCTION refuse_change();
