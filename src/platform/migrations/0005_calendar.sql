-- Working-day calendar overrides: an administrator enters a new year's notice (国务院办公厅关于
-- YYYY 年部分节假日安排的通知) before the library has it, or corrects a day. An override wins over the
-- library for its day. Each change is also an event (calendar.day_set / calendar.day_cleared), so the
-- history of a deadline's calendar stays explainable after a row is replaced or removed.
CREATE TABLE calendar_days (
  day         date PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  note        text,
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);
