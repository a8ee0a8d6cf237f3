-- R-L03, R-L07: a roster entry (法制审核人员名单) is a person who signs in; an opinion is attributed to
-- the roster entry of the user who signs it, so each entry is bound to at most one account and back.
ALTER TABLE reviewers ADD COLUMN user_id uuid REFERENCES users(id);
CREATE UNIQUE INDEX reviewers_user ON reviewers (user_id) WHERE user_id IS NOT NULL;
