-- The full alert recomputation (issue 12, R-R08) reads every case's state; at a million cases parsing the
-- whole state (≈ 4.3 kB of JSON: officers' names, documents, approvals) was most of its cost. `rule_state`
-- keeps only what the alert rules read (RuleState in src/cases/supervision-facts.ts): the case's facts and
-- clocks, and per step its step, seq, day, AV, facts and officers' ids and certificate numbers.
-- A trigger writes it with every insert and every change of `state`, in the same transaction, so no writer
-- can leave it behind. Existing rows are filled in batches by fillRuleStates (run by the recomputation);
-- until then a row's rule_state is null and the recomputation reads its state.
CREATE FUNCTION case_rule_state(s jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object('facts', s->'facts', 'clocks', s->'clocks', 'steps', coalesce((
    SELECT jsonb_agg(jsonb_build_object('seq', x->'seq', 'step', x->'step', 'on', x->'on', 'av', x->'av', 'facts', x->'facts',
      'officers', coalesce((SELECT jsonb_agg(jsonb_build_object('id', o->'id', 'certificateNumber', o->'certificateNumber') ORDER BY j)
        FROM jsonb_array_elements(x->'officers') WITH ORDINALITY AS p(o, j)), '[]'::jsonb)) ORDER BY i)
    FROM jsonb_array_elements(s->'steps') WITH ORDINALITY AS e(x, i)), '[]'::jsonb))
$$;

ALTER TABLE cases ADD COLUMN rule_state jsonb;

CREATE FUNCTION cases_rule_state_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.rule_state := case_rule_state(NEW.state);
  RETURN NEW;
END $$;
CREATE TRIGGER cases_rule_state BEFORE INSERT OR UPDATE OF state ON cases FOR EACH ROW EXECUTE FUNCTION cases_rule_state_write();

-- The rows still to fill: empty once the batches have run, so the check at each recomputation is free.
CREATE INDEX cases_rule_state_missing ON cases (id) WHERE rule_state IS NULL;
