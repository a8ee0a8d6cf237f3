-- 统计年报 (R-P16, issue 10): each final penalty decision's heaviest 行政处罚法第九条 kind (a combined penalty
-- counts once, under its heaviest kind) and its fine and confiscation amounts, kept beside the decision so
-- that the annual report sums a narrow indexed table instead of expanding every decision's JSON.
--
-- case_penalty_figures_source is the one reading of a decision: its `penalties`, or for a 当场处罚 (free
-- text) the case's facts. The kinds run from the lightest (警告) to the heaviest (行政拘留), the order of
-- PENALTY_KINDS (src/cases/documents/schema.ts); the catch-all 其他 ranks below every named kind; a
-- decision naming no known kind is not a penalty figure. Finalisation writes its row from this view in the
-- same transaction (src/cases/penalty-figures.ts); this migration writes the rows of decisions already final.
CREATE VIEW case_penalty_figures_source AS
SELECT d.id AS document_id, d.case_id, d.agency_id, d.issued_on, x.kind, x.fine AS fine_yuan, x.confiscation AS confiscation_yuan
  FROM case_documents d
  JOIN cases c ON c.id = d.case_id
  CROSS JOIN LATERAL (
    SELECT CASE WHEN jsonb_typeof(d.fields->'penalties') = 'array' THEN d.fields->'penalties'
           ELSE CASE c.state->'facts'->>'penaltyKind'
                  WHEN 'warning' THEN '[{"kind":"警告"}]'::jsonb
                  WHEN 'fine' THEN jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('kind', '罚款', 'amount',
                    CASE WHEN c.state->'facts'->>'fineAmount' ~ '^-?[0-9]+(\.[0-9]+)?$' THEN to_jsonb((c.state->'facts'->>'fineAmount')::numeric) END)))
                  WHEN 'warning_and_fine' THEN jsonb_build_array(jsonb_build_object('kind', '警告'), jsonb_strip_nulls(jsonb_build_object('kind', '罚款', 'amount',
                    CASE WHEN c.state->'facts'->>'fineAmount' ~ '^-?[0-9]+(\.[0-9]+)?$' THEN to_jsonb((c.state->'facts'->>'fineAmount')::numeric) END)))
                  ELSE '[]'::jsonb END
           END AS penalties) AS pen
  CROSS JOIN LATERAL (
    SELECT (array_agg(e->>'kind' ORDER BY CASE WHEN e->>'kind' = '法律、行政法规规定的其他行政处罚' THEN 0
              ELSE array_position(ARRAY['警告','通报批评','罚款','没收违法所得','没收非法财物','暂扣许可证件','降低资质等级','吊销许可证件','限制开展生产经营活动','责令停产停业','责令关闭','限制从业','行政拘留'], e->>'kind') END DESC))[1] AS kind,
           sum((e->>'amount')::numeric) FILTER (WHERE e->>'kind' = '罚款' AND jsonb_typeof(e->'amount') = 'number') AS fine,
           sum((e->>'amount')::numeric) FILTER (WHERE e->>'kind' IN ('没收违法所得', '没收非法财物') AND jsonb_typeof(e->'amount') = 'number') AS confiscation
      FROM jsonb_array_elements(pen.penalties) AS e
     WHERE jsonb_typeof(e->'kind') = 'string'
       AND e->>'kind' IN ('警告','通报批评','罚款','没收违法所得','没收非法财物','暂扣许可证件','降低资质等级','吊销许可证件','限制开展生产经营活动','责令停产停业','责令关闭','限制从业','行政拘留','法律、行政法规规定的其他行政处罚')) AS x
 WHERE d.type IN ('penalty_decision', 'onsite_penalty_decision') AND d.status = 'final' AND x.kind IS NOT NULL;

CREATE TABLE case_penalty_figures (
  document_id        uuid PRIMARY KEY REFERENCES case_documents(id),
  case_id            uuid NOT NULL REFERENCES cases(id),
  agency_id          uuid NOT NULL REFERENCES agencies(id),
  issued_on          date NOT NULL,
  kind               text NOT NULL,
  fine_yuan          numeric,
  confiscation_yuan  numeric
);
-- The report's scope is (agencies of the jurisdiction, year): an index-only scan.
CREATE INDEX case_penalty_figures_scope ON case_penalty_figures (agency_id, issued_on) INCLUDE (kind, fine_yuan, confiscation_yuan);
CREATE INDEX case_penalty_figures_case ON case_penalty_figures (case_id);

INSERT INTO case_penalty_figures (document_id, case_id, agency_id, issued_on, kind, fine_yuan, confiscation_yuan)
SELECT document_id, case_id, agency_id, issued_on, kind, fine_yuan, confiscation_yuan FROM case_penalty_figures_source;

-- Documents counted by type for the report (licences granted and refused, seizures), index-only by scope.
CREATE INDEX case_documents_final_scope ON case_documents (agency_id, type, issued_on) WHERE status = 'final';
