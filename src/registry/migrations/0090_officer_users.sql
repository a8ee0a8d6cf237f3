-- Issue 14, R-P08: the signed-in officer is a registry entry (执法人员) too: the step forms put them on the
-- step, and 亮证 shows their own certificate. One account per entry and back, as for reviewers (0050).
ALTER TABLE officers ADD COLUMN user_id uuid REFERENCES users(id);
CREATE UNIQUE INDEX officers_user ON officers (user_id) WHERE user_id IS NOT NULL;
