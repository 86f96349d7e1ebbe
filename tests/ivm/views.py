"""tests/ivm/views.py — the view templates of the randomized IVM differential suite.

Every entry is (name, sql). ivm.py creates each one as a MATERIALIZED VIEW on Rivulet and as a
plain VIEW on the PostgreSQL oracle, and compares `SELECT * FROM name` on both after every
epoch. A view that names another view of this list is a view over a view (MV on MV); ivm.py
finds those dependencies by name and creates them in order.

The tables (ivm.py: TABLES) are
    t1  (id int PRIMARY KEY, g int, a int, b numeric(8,2), s text, f bool, d date)   keyed
    t2  (id int PRIMARY KEY, g int, x int, s text)                                  keyed
    dim (g int PRIMARY KEY, name text, w int)                                       keyed
    ev  (g int, v int, s text, ts timestamp) APPEND ONLY                            append-only
    lg  (k int, v int)                                                              plain
with small value domains (g in 0..4, a and x in -5..5, ...) and NULLs everywhere but keys, so
that joins and groups collide and NULL semantics are exercised.

Rules for a template (so that both sides must agree exactly):
  1. Every output column has a unique name (a view cannot have two columns "count").
  2. The result is a deterministic multiset: string_agg has ORDER BY inside over enough
     columns that ties are identical strings; ORDER BY ... LIMIT and row_number() order by a
     unique key (or by every output column, so that tied rows are identical rows).
  3. No float output: avg / stddev / variance go through round(..., 6) (their input is int
     or numeric, so they are numeric).

Invariants:
  1. Names are unique and are valid SQL identifiers (unsupported.txt refers to them).
  2. A view refers only to tables and to views listed before it.
"""

# Aggregates, each alone over t1 GROUP BY g (one view each: a failing aggregate then fails only
# its own view, which makes the report a worklist).
AGGS_T1 = [
    ("count_star", "count(*)"),
    ("count_a", "count(a)"),
    ("count_s", "count(s)"),
    ("count_distinct_a", "count(DISTINCT a)"),
    ("count_distinct_s", "count(DISTINCT s)"),
    ("sum_a", "sum(a)"),
    ("sum_b", "sum(b)"),
    ("sum_distinct_a", "sum(DISTINCT a)"),
    ("avg_a", "round(avg(a), 6)"),
    ("avg_b", "round(avg(b), 6)"),
    ("min_a", "min(a)"),
    ("max_a", "max(a)"),
    ("min_s", "min(s)"),
    ("max_s", "max(s)"),
    ("min_d", "min(d)"),
    ("max_b", "max(b)"),
    ("bool_and_f", "bool_and(f)"),
    ("bool_or_f", "bool_or(f)"),
    ("every_f", "every(f)"),
    ("string_agg_s", "string_agg(s, ',' ORDER BY s)"),
    ("string_agg_id", "string_agg(id::text, '|' ORDER BY id DESC)"),
    ("stddev_a", "round(stddev(a), 6)"),
    ("stddev_pop_a", "round(stddev_pop(a), 6)"),
    ("stddev_samp_b", "round(stddev_samp(b), 6)"),
    ("variance_a", "round(variance(a), 6)"),
    ("var_pop_a", "round(var_pop(a), 6)"),
    ("var_samp_b", "round(var_samp(b), 6)"),
    ("count_filter", "count(*) FILTER (WHERE a > 0)"),
    ("sum_filter", "sum(a) FILTER (WHERE f)"),
    ("max_filter", "max(s) FILTER (WHERE a IS NOT NULL)"),
]

# A few aggregates over the append-only table (no retraction in the input).
AGGS_EV = [
    ("count_star", "count(*)"),
    ("sum_v", "sum(v)"),
    ("min_ts", "min(ts)"),
    ("max_v", "max(v)"),
    ("count_distinct_s", "count(DISTINCT s)"),
    ("avg_v", "round(avg(v), 6)"),
    ("string_agg_s", "string_agg(s, ';' ORDER BY s DESC)"),
]

VIEWS = []


def view(name, sql):
    VIEWS.append((name, sql))


for n, e in AGGS_T1:
    view(f"agg_t1_{n}", f"SELECT g, {e} AS r FROM t1 GROUP BY g")
for n, e in AGGS_EV:
    view(f"agg_ev_{n}", f"SELECT g, {e} AS r FROM ev GROUP BY g")

# ---- projections and filters ----------------------------------------------------------------
view("proj_arith", "SELECT id, a, a * 2 + 1 AS a2, -a AS na, a % 3 AS am, b * 2 AS b2 FROM t1")
view("proj_text", "SELECT id, s || '-' || coalesce(s, 'n') AS sx, upper(s) AS us, length(s) AS ls FROM t1")
view("filt_and", "SELECT id, g, a FROM t1 WHERE a > 0 AND s IS NOT NULL")
view("filt_case", "SELECT id, CASE WHEN a IS NULL THEN 'null' WHEN a < 0 THEN 'neg' ELSE 'pos' END AS c, "
     "coalesce(b, 0) AS b FROM t1 WHERE g IN (1, 2) OR f")
view("filt_null", "SELECT id, a, b FROM t1 WHERE a IS NULL OR b IS NULL")
view("proj_date", "SELECT id, d, d + 7 AS d7, d - date '2024-01-01' AS dd FROM t1 WHERE d > date '2024-01-15'")
view("proj_bool", "SELECT id, f, NOT f AS nf, a > g AS agt, f IS DISTINCT FROM true AS nt FROM t1")
view("filt_like", "SELECT id, s FROM t1 WHERE s LIKE 'a%'")
view("proj_funcs", "SELECT id, nullif(a, 0) AS na, greatest(a, g) AS gr, least(a, g) AS le, abs(a) AS aa FROM t1")
view("proj_t2", "SELECT id, x * g AS xg, x BETWEEN -3 AND 3 AS mid FROM t2 WHERE s <> ''")
view("proj_const", "SELECT 1 AS one, 'k'::text AS k, id FROM t2")
view("proj_ev", "SELECT g, v, upper(s) AS us, ts + interval '1 day' AS ts1 FROM ev WHERE v % 2 = 0")
view("proj_lg", "SELECT k, v, k + v AS kv FROM lg WHERE v IS NOT NULL")
view("proj_dim", "SELECT g, name, w FROM dim")
view("proj_all_t1", "SELECT * FROM t1")

# ---- GROUP BY expressions, HAVING -----------------------------------------------------------
view("grp_many", "SELECT g, count(*) AS n, count(a) AS na, sum(a) AS sa, min(a) AS mi, max(a) AS ma, "
     "round(avg(a), 6) AS av FROM t1 GROUP BY g")
view("grp_having", "SELECT g, count(*) AS n FROM t1 GROUP BY g HAVING count(*) > 2")
view("grp_having2", "SELECT g, sum(a) AS sa FROM t1 GROUP BY g HAVING sum(a) > 0 AND min(a) < 3")
view("grp_having_bool", "SELECT g FROM t1 GROUP BY g HAVING bool_or(f)")
view("grp_expr", "SELECT a % 3 AS m, count(*) AS n FROM t1 GROUP BY a % 3")
view("grp_expr2", "SELECT coalesce(s, '?') AS s, g IS NULL AS gn, count(*) AS n FROM t1 GROUP BY 1, 2")
view("grp_two", "SELECT g, f, count(*) AS n, sum(b) AS sb FROM t1 GROUP BY g, f")
view("grp_ev_ts", "SELECT g, count(*) AS n, sum(v) AS sv, min(ts) AS mi, max(ts) AS ma FROM ev GROUP BY g")
view("grp_ev_day", "SELECT date_trunc('day', ts) AS day, count(*) AS n, max(v) AS mv FROM ev GROUP BY 1")
view("grp_minmax_retract", "SELECT g, min(s) AS mis, max(s) AS mas, min(d) AS mid, max(d) AS mad, "
     "min(b) AS mib FROM t1 GROUP BY g")
view("grp_t2", "SELECT g, count(*) AS n, sum(x) AS sx, string_agg(s, '' ORDER BY s) AS ss FROM t2 GROUP BY g")
view("grp_lg", "SELECT k, count(*) AS n, sum(v) AS sv, count(DISTINCT v) AS dv FROM lg GROUP BY k")
view("grp_filter_distinct", "SELECT g, count(DISTINCT a) FILTER (WHERE f) AS dfa FROM t1 GROUP BY g")
view("grp_f_counts", "SELECT f, count(a) AS ca, count(s) AS cs, count(*) AS n FROM t1 GROUP BY f")
view("grp_agg_expr", "SELECT g, sum(a * a) AS sq, max(a) - min(a) AS rng, count(*) * 10 AS n10 FROM t1 GROUP BY g")
view("grp_stats", "SELECT g, round(stddev(a), 6) AS sd, round(var_pop(a), 6) AS vp, "
     "round(stddev_pop(b), 6) AS sdb FROM t1 GROUP BY g")
view("grp_no_key_out", "SELECT count(*) AS n FROM t1 GROUP BY g")

# ---- global aggregates, also over empty input -----------------------------------------------
view("glob_all", "SELECT count(*) AS n, count(a) AS na, sum(a) AS sa, min(a) AS mi, max(a) AS ma, "
     "round(avg(a), 6) AS av, bool_and(f) AS ba, bool_or(f) AS bo, "
     "string_agg(s, ',' ORDER BY s) AS ss FROM t1")
view("glob_empty", "SELECT count(*) AS n, sum(a) AS sa, max(s) AS ms, bool_and(f) AS ba FROM t1 WHERE a > 1000")
view("glob_t2", "SELECT count(*) AS n, sum(x) AS sx, min(s) AS ms, round(avg(x), 6) AS av FROM t2")
view("glob_ev", "SELECT count(*) AS n, count(DISTINCT g) AS dg, max(v) AS mv FROM ev")
view("glob_filter", "SELECT count(*) FILTER (WHERE f) AS nt, count(*) FILTER (WHERE NOT f) AS nf FROM t1")
view("glob_stats", "SELECT round(stddev(a), 6) AS sd, round(variance(b), 6) AS vb FROM t1")
view("glob_having", "SELECT count(*) AS n FROM t1 HAVING count(*) > 5")
view("glob_distinct", "SELECT count(DISTINCT g) AS dg, count(DISTINCT s) AS ds FROM t1")
view("glob_lg", "SELECT count(*) AS n, sum(v) AS sv FROM lg WHERE k = 99")

# ---- joins ----------------------------------------------------------------------------------
view("j_inner", "SELECT t1.id, t2.id AS id2, t1.a, t2.x FROM t1 JOIN t2 ON t1.g = t2.g")
view("j_left", "SELECT t1.id, t2.id AS id2 FROM t1 LEFT JOIN t2 ON t1.g = t2.g")
view("j_right", "SELECT t1.id, t2.id AS id2 FROM t1 RIGHT JOIN t2 ON t1.g = t2.g")
view("j_full", "SELECT t1.id, t2.id AS id2, t1.g, t2.g AS g2 FROM t1 FULL JOIN t2 ON t1.g = t2.g")
view("j_full_using", "SELECT g, t1.id, t2.id AS id2 FROM t1 FULL JOIN t2 USING (g)")
view("j_full_2keys", "SELECT t1.id, t2.id AS id2 FROM t1 FULL JOIN t2 ON t1.g = t2.g AND t1.s = t2.s")
view("j_dim", "SELECT t1.id, dim.name FROM t1 JOIN dim ON t1.g = dim.g")
view("j_dim_left", "SELECT t1.id, dim.name, dim.w FROM t1 LEFT JOIN dim USING (g)")
view("j_3way", "SELECT t1.id, t2.id AS id2, dim.name FROM t1 JOIN t2 ON t1.g = t2.g JOIN dim ON t2.g = dim.g")
view("j_3way_left", "SELECT t1.id, t2.id AS id2, dim.name FROM t1 LEFT JOIN t2 ON t1.g = t2.g "
     "LEFT JOIN dim ON t1.g = dim.g")
view("j_4way", "SELECT t1.id, t2.id AS id2, dim.name, lg.v FROM t1 JOIN t2 ON t1.g = t2.g "
     "JOIN dim ON dim.g = t1.g JOIN lg ON lg.k = t2.x WHERE t1.a > 0")
view("j_cross", "SELECT dim.g, t2.id FROM dim CROSS JOIN t2 WHERE t2.x > 2")
view("j_cross_self", "SELECT d1.g, d2.g AS g2 FROM dim d1, dim d2")
view("j_nonequi", "SELECT t1.id, t2.id AS id2 FROM t1 JOIN t2 ON t1.g = t2.g AND t1.a < t2.x")
view("j_nonequi_left", "SELECT t1.id, t2.id AS id2 FROM t1 LEFT JOIN t2 ON t1.g = t2.g AND t1.a > t2.x")
view("j_nonequi_right", "SELECT t1.id, t2.id AS id2 FROM t1 RIGHT JOIN t2 ON t1.g = t2.g AND t1.s <> t2.s")
view("j_agg", "SELECT t1.g, count(*) AS n, sum(t2.x) AS sx FROM t1 JOIN t2 ON t1.g = t2.g GROUP BY t1.g")
view("j_agg_left", "SELECT dim.name, count(t1.id) AS n FROM dim LEFT JOIN t1 ON dim.g = t1.g GROUP BY dim.name")
view("j_ev_dim", "SELECT ev.v, ev.ts, dim.name FROM ev JOIN dim ON ev.g = dim.g")
view("j_self", "SELECT a.id, b.id AS id2 FROM t1 a JOIN t1 b ON a.g = b.g AND a.id < b.id")
view("j_lg_t2", "SELECT lg.k, lg.v, t2.id FROM lg JOIN t2 ON lg.k = t2.x")
view("j_where", "SELECT t1.id, t2.s FROM t1, t2 WHERE t1.g = t2.g AND t2.s IS NOT NULL AND t1.f")
view("j_expr_key", "SELECT t1.id, t2.id AS id2 FROM t1 JOIN t2 ON t1.a = t2.x + 1")
view("j_text_key", "SELECT t1.id, t2.id AS id2 FROM t1 JOIN t2 ON t1.s = t2.s")

# ---- subqueries -----------------------------------------------------------------------------
view("sq_exists", "SELECT id FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.g = t1.g)")
view("sq_not_exists", "SELECT id FROM t1 WHERE NOT EXISTS (SELECT 1 FROM t2 WHERE t2.g = t1.g AND t2.x > t1.a)")
view("sq_exists_uncorr", "SELECT id FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE x > 4)")
view("sq_in", "SELECT id FROM t1 WHERE a IN (SELECT x FROM t2)")
view("sq_not_in", "SELECT id FROM t1 WHERE a NOT IN (SELECT x FROM t2)")
view("sq_not_in_dim", "SELECT id FROM t1 WHERE g NOT IN (SELECT g FROM dim WHERE w > 0)")
view("sq_not_in_nonull", "SELECT id FROM t2 WHERE x NOT IN (SELECT a FROM t1 WHERE a IS NOT NULL)")
view("sq_in_filter", "SELECT id FROM t2 WHERE g IN (SELECT g FROM t1 WHERE f)")
view("sq_any", "SELECT id FROM t1 WHERE a > ANY (SELECT x FROM t2 WHERE t2.g = t1.g)")
view("sq_all", "SELECT id FROM t1 WHERE a >= ALL (SELECT x FROM t2 WHERE t2.g = t1.g)")
view("sq_scalar_select", "SELECT id, (SELECT count(*) FROM t2 WHERE t2.g = t1.g) AS n2 FROM t1")
view("sq_scalar_where", "SELECT id FROM t1 WHERE a > (SELECT avg(x) FROM t2)")
view("sq_scalar_uncorr", "SELECT id, a - (SELECT max(a) FROM t1) AS dm FROM t1")
view("sq_exists_select", "SELECT id, EXISTS (SELECT 1 FROM t2 WHERE t2.g = t1.g AND t2.x < t1.a) AS e, "
     "a IN (SELECT x FROM t2 WHERE t2.g = t1.g) AS i FROM t1")
view("sq_in_or", "SELECT id FROM t1 WHERE f OR a NOT IN (SELECT x FROM t2 WHERE s IS NOT NULL)")
view("sq_scalar_sum", "SELECT id, (SELECT sum(x) FROM t2 WHERE t2.g = t1.g) AS sx, "
     "(SELECT count(x) FROM t2 WHERE t2.g = t1.g AND t2.s = t1.s) AS nx FROM t1")
view("sq_having", "SELECT g, count(*) AS n FROM t1 GROUP BY g HAVING count(*) > (SELECT count(*) FROM dim)")
# Nexmark q102's shape: the subquery's division is computed only for existing groups (t2 with no
# non-NULL g has no join group, so 0 / 0 is never evaluated, as in PostgreSQL)
view("sq_having_ratio", "SELECT t1.g, count(*) AS n FROM t1 JOIN t2 ON t1.g = t2.g GROUP BY t1.g "
     "HAVING count(*) >= (SELECT count(*) / count(DISTINCT g) FROM t2)")
view("sq_select_ratio", "SELECT t1.g, count(*) AS n, (SELECT count(*) / count(DISTINCT g) FROM t2) AS r "
     "FROM t1 JOIN t2 ON t1.g = t2.g GROUP BY t1.g HAVING t1.g > 0 OR count(*) > 1")
view("sq_scalar_nonequi", "SELECT id, (SELECT count(*) FROM t2 WHERE t2.x < t1.a) AS n, "
     "(SELECT sum(x) FROM t2 WHERE t2.g = t1.g AND t2.id <> t1.id) AS sx FROM t1")
view("sq_in_row", "SELECT id FROM t1 WHERE (g, a) IN (SELECT g, x FROM t2) OR (g, a) NOT IN (SELECT g, x + 1 FROM t2)")
view("sq_ne_all", "SELECT id, a <> ALL (SELECT x FROM t2 WHERE t2.g = t1.g) AS na FROM t1")
view("sq_latest", "SELECT id, (SELECT x FROM t2 WHERE t2.g = t1.g ORDER BY x DESC NULLS LAST, id LIMIT 1) "
     "AS top_x FROM t1")
view("sq_grouped_corr", "SELECT g, count(*) AS n, (SELECT count(*) FROM t2 WHERE t2.g = t1.g) AS n2 "
     "FROM t1 GROUP BY g")
view("sq_scalar_dim", "SELECT id, (SELECT name FROM dim WHERE dim.g = t1.g) AS name FROM t1")
view("sq_from", "SELECT s.g, s.n * 2 AS n2 FROM (SELECT g, count(*) AS n FROM t1 GROUP BY g) s WHERE s.n > 1")
view("sq_from_join", "SELECT a.g, a.n, b.m FROM (SELECT g, count(*) AS n FROM t1 GROUP BY g) a "
     "JOIN (SELECT g, max(x) AS m FROM t2 GROUP BY g) b ON a.g = b.g")
view("sq_from_agg_of_agg", "SELECT max(n) AS mx, min(n) AS mn FROM (SELECT g, count(*) AS n FROM t1 GROUP BY g) s")

# ---- non-recursive CTEs ---------------------------------------------------------------------
view("cte_simple", "WITH c AS (SELECT g, sum(a) AS s FROM t1 GROUP BY g) SELECT g, s FROM c WHERE s > 0")
view("cte_two", "WITH a AS (SELECT id, g FROM t1 WHERE f), b AS (SELECT g, count(*) AS n FROM t2 GROUP BY g) "
     "SELECT a.id, b.n FROM a LEFT JOIN b USING (g)")
view("cte_twice", "WITH c AS (SELECT g, count(*) AS n FROM t1 GROUP BY g) "
     "SELECT x.g, y.g AS g2 FROM c x JOIN c y ON x.n = y.n")

# ---- DISTINCT, DISTINCT ON ------------------------------------------------------------------
view("dist_g", "SELECT DISTINCT g FROM t1")
view("dist_gf", "SELECT DISTINCT g, f FROM t1")
view("dist_ev_s", "SELECT DISTINCT s FROM ev")
view("dist_expr", "SELECT DISTINCT a % 2 AS p FROM t1")
view("dist_join", "SELECT DISTINCT t1.g, t2.s FROM t1 JOIN t2 USING (g)")
view("dist_on_first", "SELECT DISTINCT ON (g) g, id, a FROM t1 ORDER BY g, id")
view("dist_on_max", "SELECT DISTINCT ON (g) g, a, id FROM t1 ORDER BY g, a DESC NULLS LAST, id")

# ---- top-N: ORDER BY ... LIMIT, ranking windows ---------------------------------------------
view("top_id", "SELECT id, a FROM t1 ORDER BY id LIMIT 5")
view("top_a", "SELECT id, a FROM t1 ORDER BY a DESC NULLS LAST, id LIMIT 3")
view("top_offset", "SELECT id FROM t1 ORDER BY id LIMIT 4 OFFSET 2")
view("top_ev", "SELECT g, v, ts, s FROM ev ORDER BY v DESC, g, ts, s LIMIT 5")
view("top_groups", "SELECT g, count(*) AS n FROM t1 GROUP BY g ORDER BY n DESC, g LIMIT 2")
view("win_row_number", "SELECT * FROM (SELECT id, g, a, row_number() OVER (PARTITION BY g ORDER BY id) AS rn "
     "FROM t1) s WHERE rn <= 2")
view("win_rank", "SELECT * FROM (SELECT id, g, a, rank() OVER (PARTITION BY g ORDER BY a) AS r FROM t1) s "
     "WHERE r <= 2")
view("win_dense_rank", "SELECT * FROM (SELECT id, g, a, dense_rank() OVER (PARTITION BY g ORDER BY a DESC) AS r "
     "FROM t1) s WHERE r <= 2")
view("win_rn_global", "SELECT * FROM (SELECT id, row_number() OVER (ORDER BY id DESC) AS rn FROM t1) s "
     "WHERE rn <= 3")
view("win_rn_ev", "SELECT * FROM (SELECT g, v, s, ts, row_number() OVER (PARTITION BY g ORDER BY v, ts, s) AS rn "
     "FROM ev) s WHERE rn <= 2")
view("win_rn_all", "SELECT id, g, row_number() OVER (PARTITION BY g ORDER BY id) AS rn FROM t1")
view("win_rank_t2", "SELECT * FROM (SELECT id, g, x, rank() OVER (PARTITION BY g ORDER BY x) AS r FROM t2) s "
     "WHERE r <= 1")

# ---- set operations -------------------------------------------------------------------------
view("set_union", "SELECT g FROM t1 UNION SELECT g FROM t2")
view("set_union_all", "SELECT g, s FROM t1 UNION ALL SELECT g, s FROM t2")
view("set_intersect", "SELECT g FROM t1 INTERSECT SELECT g FROM t2")
view("set_intersect_all", "SELECT a FROM t1 INTERSECT ALL SELECT x FROM t2")
view("set_except", "SELECT s FROM t1 EXCEPT SELECT s FROM t2")
view("set_except_all", "SELECT a FROM t1 EXCEPT ALL SELECT x FROM t2")
view("set_three", "SELECT g FROM t1 UNION SELECT g FROM dim EXCEPT SELECT g FROM t2")
view("set_ev_lg", "SELECT g, v FROM ev UNION ALL SELECT k, v FROM lg")
view("set_count", "SELECT count(*) AS n FROM (SELECT g FROM t1 UNION SELECT g FROM t2) u")

# ---- views over views (several levels) ------------------------------------------------------
view("mv1_base", "SELECT id, g, a, s FROM t1 WHERE a IS NOT NULL")
view("mv2_grp", "SELECT g, count(*) AS n, sum(a) AS sa FROM mv1_base GROUP BY g")
view("mv3_filter", "SELECT g, n FROM mv2_grp WHERE n > 1")
view("mv4_glob", "SELECT count(*) AS n, sum(n) AS total FROM mv3_filter")
view("mv2_join", "SELECT mv1_base.id, dim.name FROM mv1_base JOIN dim USING (g)")
view("mv3_join_grp", "SELECT name, count(*) AS n FROM mv2_join GROUP BY name")
view("mv2_dist", "SELECT DISTINCT s FROM mv1_base")
view("mv3_in", "SELECT id FROM mv1_base WHERE g IN (SELECT g FROM mv3_filter)")
view("mv_union", "SELECT g FROM mv2_grp UNION SELECT g FROM grp_t2")
view("mv_top", "SELECT id, a FROM mv1_base ORDER BY a, id LIMIT 3")
view("mv_over_agg", "SELECT r, count(*) AS n FROM agg_t1_count_star GROUP BY r")

# ---- harder combinations (anti-joins, argmax, windows over joins, casts, NULL lists) --------
view("h_anti_left", "SELECT t1.id FROM t1 LEFT JOIN t2 ON t1.g = t2.g WHERE t2.id IS NULL")
view("h_left_where_right", "SELECT t1.id, t2.x FROM t1 LEFT JOIN t2 ON t1.g = t2.g WHERE t2.x > 0 OR t2.x IS NULL")
view("h_full_agg", "SELECT coalesce(t1.g, t2.g) AS g, count(t1.id) AS n1, count(t2.id) AS n2 "
     "FROM t1 FULL JOIN t2 ON t1.g = t2.g AND t1.a = t2.x GROUP BY 1")
view("h_join_having", "SELECT t1.g, count(DISTINCT t2.s) AS ds FROM t1 JOIN t2 ON t1.g = t2.g "
     "GROUP BY t1.g HAVING count(*) > 3")
view("h_argmax", "SELECT t1.id, m.mx FROM t1, (SELECT max(a) AS mx FROM t1) m WHERE t1.a = m.mx")
view("h_argmax_grp", "SELECT t1.g, t1.id FROM t1 JOIN (SELECT g, max(a) AS mx FROM t1 GROUP BY g) m "
     "ON t1.g = m.g AND t1.a = m.mx")
view("h_rn_eq1", "SELECT id, g FROM (SELECT id, g, row_number() OVER (PARTITION BY g ORDER BY b DESC NULLS LAST, id) "
     "AS rn FROM t1) s WHERE rn = 1")
view("h_rank_agg", "SELECT * FROM (SELECT g, n, rank() OVER (ORDER BY n DESC) AS r FROM "
     "(SELECT g, count(*) AS n FROM t1 GROUP BY g) c) s WHERE r <= 2")
view("h_win_join", "SELECT * FROM (SELECT t1.id, t2.id AS id2, row_number() OVER (PARTITION BY t1.id ORDER BY t2.id) "
     "AS rn FROM t1 JOIN t2 ON t1.g = t2.g) s WHERE rn <= 2")
view("h_win_expr_part", "SELECT * FROM (SELECT id, a, dense_rank() OVER (PARTITION BY a % 2 ORDER BY a) AS r "
     "FROM t1 WHERE a IS NOT NULL) s WHERE r < 3")
view("h_win_sum", "SELECT id, g, sum(a) OVER (PARTITION BY g) AS sg, count(*) OVER (PARTITION BY g) AS ng FROM t1")
view("h_win_running", "SELECT id, g, sum(a) OVER (PARTITION BY g ORDER BY id) AS run FROM t1")
view("h_top_join", "SELECT t1.id, t2.id AS id2 FROM t1 JOIN t2 ON t1.g = t2.g ORDER BY t1.id, t2.id LIMIT 7")
view("h_dist_agg", "SELECT DISTINCT count(*) AS n FROM t1 GROUP BY g")
view("h_dist_on_join", "SELECT DISTINCT ON (t1.g) t1.g, t2.id FROM t1 JOIN t2 USING (g) ORDER BY t1.g, t2.id DESC")
view("h_union_aggs", "SELECT 't1' AS src, g, count(*) AS n FROM t1 GROUP BY g UNION ALL "
     "SELECT 't2', g, count(*) FROM t2 GROUP BY g")
view("h_intersect_2col", "SELECT g, s FROM t1 INTERSECT SELECT g, s FROM t2")
view("h_except_null", "SELECT g, f FROM t1 EXCEPT SELECT g, NULL::bool FROM t2")
view("h_setop_in_from", "SELECT u.g, count(*) AS n FROM (SELECT g FROM t1 UNION ALL SELECT g FROM t2) u "
     "JOIN dim ON dim.g = u.g GROUP BY u.g")
view("h_casts", "SELECT id, a::text AS at, b::int AS bi, s::varchar(1) AS s1, d::timestamp AS dt, "
     "(a > 0)::int AS pos FROM t1")
view("h_text_funcs", "SELECT id, lower(upper(s)) AS ls, replace(s, 'a', 'x') AS rs, substr(s, 1, 1) AS s1, "
     "s || a::text AS sa FROM t1")
view("h_three_valued", "SELECT id FROM t1 WHERE (a > 0 OR s = 'a') AND NOT (f AND g = 2)")
view("h_in_list_null", "SELECT id FROM t1 WHERE g IN (1, 3, NULL)")
view("h_not_in_list_null", "SELECT id FROM t1 WHERE g NOT IN (1, NULL)")
view("h_coalesce_agg", "SELECT dim.g, coalesce(sum(t1.a), 0) AS sa, coalesce(max(t1.s), '-') AS ms "
     "FROM dim LEFT JOIN t1 ON t1.g = dim.g GROUP BY dim.g")
view("h_extract", "SELECT g, extract(hour FROM ts) AS h, count(*) AS n FROM ev GROUP BY 1, 2")
view("h_string_agg_distinct", "SELECT g, string_agg(DISTINCT s, ',' ORDER BY s) AS ss FROM t1 GROUP BY g")
view("h_array_agg", "SELECT g, array_agg(id ORDER BY id) AS ids FROM t1 GROUP BY g")
view("h_bit_aggs", "SELECT g, bit_and(a) AS ba, bit_or(a) AS bo FROM t1 GROUP BY g")
view("h_agg_case", "SELECT g, sum(CASE WHEN f THEN a ELSE 0 END) AS sf, count(CASE WHEN s = '' THEN 1 END) AS ne "
     "FROM t1 GROUP BY g")
view("h_count_distinct_join", "SELECT dim.name, count(DISTINCT t1.a) AS da FROM t1 JOIN dim USING (g) GROUP BY dim.name")
view("h_exists_or", "SELECT id FROM t2 WHERE x > 3 OR EXISTS (SELECT 1 FROM t1 WHERE t1.g = t2.g AND t1.f)")
view("h_in_agg", "SELECT g FROM dim WHERE g IN (SELECT g FROM t1 GROUP BY g HAVING count(*) > 2)")
view("h_nested_sq", "SELECT id FROM t1 WHERE g IN (SELECT g FROM t2 WHERE x IN (SELECT w FROM dim))")
view("h_cte_join_agg", "WITH a AS (SELECT g, sum(a) AS sa FROM t1 GROUP BY g), b AS (SELECT g, sum(x) AS sx "
     "FROM t2 GROUP BY g) SELECT a.g, a.sa, b.sx FROM a FULL JOIN b ON a.g = b.g")
view("h_ev_lg_join_agg", "SELECT lg.k, count(*) AS n, max(ev.v) AS mv FROM ev JOIN lg ON ev.g = lg.k GROUP BY lg.k")
view("h_glob_join", "SELECT count(*) AS n, sum(t1.a * t2.x) AS sp FROM t1 JOIN t2 ON t1.g = t2.g")
view("h_pk_moves", "SELECT id, g, a FROM t1 WHERE id > 10 AND id < 40")
view("hv_mv_join_mv", "SELECT mv2_grp.g, mv2_grp.n, grp_t2.sx FROM mv2_grp JOIN grp_t2 ON mv2_grp.g = grp_t2.g")
view("hv_mv_self", "SELECT a.id, b.id AS id2 FROM mv1_base a JOIN mv1_base b ON a.a = b.a AND a.id < b.id")
view("hv_mv_window", "SELECT * FROM (SELECT id, g, rank() OVER (PARTITION BY g ORDER BY a DESC) AS r FROM mv1_base) s "
     "WHERE r = 1")
view("hv_mv_level5", "SELECT n, total, n * 2 AS n2 FROM mv4_glob")

# ---- exact output formats, edges of LIMIT / OFFSET, grouping sets, more windows --------------
view("x_avg_raw", "SELECT g, avg(a) AS av, avg(b) AS avb FROM t1 GROUP BY g")
view("x_var_raw", "SELECT g, variance(a) AS va, stddev_pop(b) AS sb FROM t1 GROUP BY g")
view("x_int_ops", "SELECT id, a / 2 AS half, a % 3 AS m3, -a / 3 AS nd, abs(a) * g AS ag FROM t1")
view("x_numeric_ops", "SELECT id, b / 3 AS b3, round(b, 1) AS r1, trunc(b) AS tb, b * b AS bb FROM t1")
view("x_limit0", "SELECT id FROM t1 ORDER BY id LIMIT 0")
view("x_offset_only", "SELECT id, g FROM t1 ORDER BY id OFFSET 3")
view("x_self_semi", "SELECT id FROM t1 WHERE id IN (SELECT id FROM t1 WHERE f)")
view("x_exists_limit", "SELECT id FROM t2 WHERE EXISTS (SELECT 1 FROM t1 WHERE t1.g = t2.g LIMIT 1)")
view("x_rollup", "SELECT g, f, count(*) AS n FROM t1 GROUP BY ROLLUP (g, f)")
view("x_grouping_sets", "SELECT g, s, sum(a) AS sa FROM t1 GROUP BY GROUPING SETS ((g), (s), ())")
view("x_cube", "SELECT g, f, count(*) AS n FROM t1 GROUP BY CUBE (g, f)")
view("x_lag", "SELECT id, g, lag(a) OVER (PARTITION BY g ORDER BY id) AS prev FROM t1")
view("x_ntile", "SELECT id, ntile(2) OVER (ORDER BY id) AS half FROM t1")
view("x_dist_on_expr", "SELECT DISTINCT ON (a % 3) a % 3 AS m, id FROM t1 WHERE a IS NOT NULL ORDER BY a % 3, id")
view("x_cte_chain", "WITH a AS (SELECT g, a FROM t1 WHERE a IS NOT NULL), b AS (SELECT g, max(a) AS mx FROM a GROUP BY g) "
     "SELECT g, mx FROM b WHERE mx > 0")
view("x_topn_in_from", "SELECT count(*) AS n, sum(a) AS sa FROM (SELECT a FROM t1 ORDER BY id LIMIT 5) s")
view("x_setop_limit", "(SELECT g FROM t1 UNION SELECT g FROM t2) ORDER BY g LIMIT 3")
view("x_values_join", "SELECT t1.id, v.label FROM t1 JOIN (VALUES (0, 'zero'), (1, 'one'), (NULL, 'null')) "
     "AS v(g, label) ON t1.g = v.g")
view("x_case_subquery", "SELECT id, CASE WHEN a > 0 THEN (SELECT count(*) FROM dim) ELSE -1 END AS c FROM t1")
view("x_lateral", "SELECT t1.id, l.mx FROM t1, LATERAL (SELECT max(x) AS mx FROM t2 WHERE t2.g = t1.g) l")
view("x_text_order", "SELECT g, min(s) AS mi, max(s) AS ma, string_agg(s, '|' ORDER BY s DESC) AS sd FROM t1 GROUP BY g")
view("x_top_text", "SELECT id, s FROM t1 ORDER BY s NULLS FIRST, id LIMIT 4")
view("x_ev_ts_filter", "SELECT g, v, ts FROM ev WHERE ts >= timestamp '2024-01-02 12:00' AND ts < timestamp '2024-01-03'")
view("x_rank_ties", "SELECT * FROM (SELECT id, a, rank() OVER (ORDER BY a NULLS FIRST) AS r, "
     "dense_rank() OVER (ORDER BY a NULLS FIRST) AS dr FROM t1) s WHERE dr <= 3")


# ---- random views (ivm.py --random-views N) -------------------------------------------------
# Composed from the seed: a source (a table or a join), a random WHERE, then either a projection
# of random expressions or a GROUP BY with random aggregates and HAVING, sometimes DISTINCT,
# sometimes a top-N or a set operation around it. Types are tracked so that every view is valid
# PostgreSQL; outputs follow the rules at the top of this file (aliases, deterministic, no float).

_SOURCES = [
    # (FROM clause, {alias.column: type}), type one of int, num, text, bool
    ("t1", {"t1.id": "int", "t1.g": "int", "t1.a": "int", "t1.b": "num", "t1.s": "text", "t1.f": "bool"}),
    ("t2", {"t2.id": "int", "t2.g": "int", "t2.x": "int", "t2.s": "text"}),
    ("ev", {"ev.g": "int", "ev.v": "int", "ev.s": "text"}),
    ("t1 JOIN t2 ON t1.g = t2.g", {"t1.id": "int", "t2.id": "int", "t1.a": "int", "t2.x": "int", "t1.s": "text",
                                   "t2.s": "text", "t1.g": "int", "t1.f": "bool"}),
    ("t1 LEFT JOIN t2 ON t1.g = t2.g AND t1.a < t2.x", {"t1.id": "int", "t2.id": "int", "t1.a": "int", "t2.x": "int",
                                                        "t2.s": "text", "t1.g": "int"}),
    ("t1 FULL JOIN t2 ON t1.a = t2.x", {"t1.id": "int", "t2.id": "int", "t1.g": "int", "t2.g": "int", "t1.s": "text",
                                        "t2.s": "text"}),
    ("t2 RIGHT JOIN dim ON t2.g = dim.g", {"t2.id": "int", "dim.g": "int", "t2.x": "int", "dim.w": "int",
                                           "dim.name": "text"}),
    ("t1 JOIN dim ON t1.g = dim.g JOIN t2 ON t2.x = dim.w", {"t1.id": "int", "t2.id": "int", "dim.name": "text",
                                                             "t1.a": "int", "t2.s": "text", "t1.b": "num"}),
    ("ev JOIN dim USING (g)", {"g": "int", "ev.v": "int", "dim.name": "text", "ev.s": "text", "dim.w": "int"}),
    # over materialized views (MV on MV)
    ("mv1_base", {"mv1_base.id": "int", "mv1_base.g": "int", "mv1_base.a": "int", "mv1_base.s": "text"}),
    ("grp_many", {"grp_many.g": "int", "grp_many.n": "int", "grp_many.sa": "int", "grp_many.mi": "int"}),
    ("j_inner JOIN dim ON j_inner.a = dim.g", {"j_inner.id": "int", "j_inner.id2": "int", "j_inner.x": "int",
                                               "dim.name": "text"}),
]


def _expr(rng, cols, want, depth=0):
    """A random expression of type want over cols (or None when cols have no such type)."""
    have = [c for c, t in cols.items() if t == want]
    if want == "bool":
        ints = [c for c, t in cols.items() if t == "int"]
        texts = [c for c, t in cols.items() if t == "text"]
        choices = []
        if ints:
            c = rng.choice(ints)
            choices += [f"{c} {rng.choice(['<', '<=', '=', '<>', '>', '>='])} {rng.randint(-3, 4)}",
                        f"{c} IS NULL", f"{c} IS NOT NULL", f"{c} IN ({rng.randint(0, 2)}, {rng.randint(2, 4)})",
                        f"{c} BETWEEN {rng.randint(-5, 0)} AND {rng.randint(0, 5)}"]
            if len(ints) > 1:
                c1, c2 = rng.sample(ints, 2)
                choices.append(f"{c1} {rng.choice(['<', '=', '<>', '>='])} {c2}")
        if texts:
            c = rng.choice(texts)
            choices += [f"{c} = '{rng.choice(['a', 'b', 'ab', ''])}'", f"{c} LIKE '{rng.choice(['a', 'b'])}%'",
                        f"{c} IS NOT DISTINCT FROM 'c'", f"{c} > 'a'"]
        choices += have
        if ints and depth == 0 and rng.random() < 0.25:
            c = rng.choice(ints)
            return rng.choice([f"{c} IN (SELECT x FROM t2 WHERE s <> 'a')", f"{c} NOT IN (SELECT w FROM dim)",
                               f"EXISTS (SELECT 1 FROM t2 WHERE t2.x = {c})",
                               f"NOT EXISTS (SELECT 1 FROM dim WHERE dim.g = {c} AND dim.w > 0)",
                               f"{c} > (SELECT min(a) FROM t1)", f"{c} NOT IN (SELECT a FROM t1 WHERE a IS NOT NULL)"])
        if depth < 1 and rng.random() < 0.3:
            return (f"({_expr(rng, cols, 'bool', depth + 1)} {rng.choice(['AND', 'OR'])} "
                    f"{_expr(rng, cols, 'bool', depth + 1)})")
        if rng.random() < 0.1:
            return f"NOT ({rng.choice(choices)})"
        return rng.choice(choices)
    if not have:
        return None
    c = rng.choice(have)
    if want == "int" and depth < 1:
        r = rng.random()
        if r < 0.2:
            return f"{c} + {rng.randint(1, 3)}"
        if r < 0.3:
            return f"coalesce({c}, {rng.randint(-1, 1)})"
        if r < 0.4:
            return f"{c} % 3"
        if r < 0.5:
            return f"CASE WHEN {_expr(rng, cols, 'bool', 1)} THEN {c} ELSE 0 END"
    if want == "text" and depth < 1 and rng.random() < 0.3:
        return rng.choice([f"upper({c})", f"coalesce({c}, '?')", f"{c} || '.'"])
    return c


_AGGS = {
    "int": ["count({})", "sum({})", "min({})", "max({})", "count(DISTINCT {})", "round(avg({}), 4)",
            "round(stddev_pop({}), 4)", "sum({}) FILTER (WHERE {} > 0)"],
    "num": ["sum({})", "max({})", "round(avg({}), 4)"],
    "text": ["min({})", "max({})", "count(DISTINCT {})", "string_agg({}, ',' ORDER BY {})"],
    "bool": ["bool_and({})", "bool_or({})"],
}


def _core(rng, src, cols):
    where = f" WHERE {_expr(rng, cols, 'bool')}" if rng.random() < 0.7 else ""
    if rng.random() < 0.5:
        # projection
        outs = []
        for i in range(rng.randint(1, 4)):
            t = rng.choice(["int", "int", "text", "bool", "num"])
            e = _expr(rng, cols, t)
            if e:
                outs.append(f"{e} AS c{i}")
        if not outs:
            outs = [f"{next(iter(cols))} AS c0"]
        distinct = "DISTINCT " if rng.random() < 0.25 else ""
        return f"SELECT {distinct}{', '.join(outs)} FROM {src}{where}", [o.rsplit(" AS ", 1)[1] for o in outs]
    keys = []
    for i in range(rng.choice([0, 1, 1, 2])):
        e = _expr(rng, cols, rng.choice(["int", "int", "text", "bool"]))
        if e and e not in keys:
            keys.append(e)
    aggs = []
    for i in range(rng.randint(1, 3)):
        t = rng.choice([t for t in ("int", "num", "text", "bool") if any(v == t for v in cols.values())])
        c = rng.choice([c for c, v in cols.items() if v == t])
        aggs.append(rng.choice(_AGGS[t]).replace("{}", c))
    if rng.random() < 0.2:
        aggs.append("count(*)")
    outs = [f"{k} AS k{i}" for i, k in enumerate(keys)] + [f"{a} AS a{i}" for i, a in enumerate(aggs)]
    group = f" GROUP BY {', '.join(keys)}" if keys else ""
    having = ""
    if rng.random() < 0.3:
        having = f" HAVING count(*) {rng.choice(['>', '>=', '<'])} {rng.randint(1, 4)}"
    return f"SELECT {', '.join(outs)} FROM {src}{where}{group}{having}", [o.rsplit(" AS ", 1)[1] for o in outs]


def random_views(seed, n):
    import random
    rng = random.Random(seed * 31 + 7)
    out = []
    for i in range(n):
        src, cols = rng.choice(_SOURCES)
        sql, names = _core(rng, src, cols)
        width = len(names)
        r = rng.random()
        if r < 0.12:
            # top-N over the whole output: order by every column, so ties are identical rows
            order = ", ".join(f"{k + 1} {rng.choice(['NULLS FIRST', 'DESC', 'DESC NULLS LAST'])}" for k in range(width))
            offset = f" OFFSET {rng.randint(1, 3)}" if rng.random() < 0.3 else ""
            sql = f"{sql} ORDER BY {order} LIMIT {rng.randint(1, 6)}{offset}"
        elif r < 0.2 and width >= 2:
            # a ranking window over the output, partitioned by its first column, filtered
            fn = rng.choice(["row_number", "rank", "dense_rank"])
            order = ", ".join(f"{n} {rng.choice(['', 'DESC'])}" for n in names[1:])
            if fn == "row_number":
                order += ", " + ", ".join(names[:1])
            sql = (f"SELECT * FROM (SELECT *, {fn}() OVER (PARTITION BY {names[0]} ORDER BY {order}) AS rk "
                   f"FROM ({sql}) q) w WHERE rk <= {rng.randint(1, 3)}")
        elif r < 0.24 and width >= 2:
            # DISTINCT ON the first column, the rest in order (a unique pick per first column)
            order = ", ".join(names)
            sql = f"SELECT DISTINCT ON ({names[0]}) * FROM ({sql}) q ORDER BY {order}"
        elif r < 0.32:
            # a set operation with a second core of the same width and types: both single int
            a = _expr(rng, cols, "int") or "1"
            src2, cols2 = rng.choice(_SOURCES)
            b = _expr(rng, cols2, "int") or "1"
            op = rng.choice(["UNION", "UNION ALL", "INTERSECT", "EXCEPT", "EXCEPT ALL", "INTERSECT ALL"])
            w2 = f" WHERE {_expr(rng, cols2, 'bool')}" if rng.random() < 0.5 else ""
            sql = f"SELECT {a} AS u FROM {src} {op} SELECT {b} FROM {src2}{w2}"
        elif r < 0.4:
            sql = f"SELECT count(*) AS n FROM ({sql}) q"
        out.append((f"rnd_{i}", sql))
    return out

# ---- regressions: random views that once failed, kept under a fixed name (seeds.txt) ----------
view("reg_topn_join", "SELECT g AS c0 FROM ev JOIN dim USING (g) ORDER BY 1 NULLS FIRST LIMIT 3")
view("dup_grp_many", "SELECT g, count(*) AS n, count(a) AS na, sum(a) AS sa, min(a) AS mi, max(a) AS ma, "
     "round(avg(a), 6) AS av FROM t1 GROUP BY g")
view("dup_j_inner", "SELECT t1.id, t2.id AS id2, t1.a, t2.x FROM t1 JOIN t2 ON t1.g = t2.g")
view("h_top_dups_join", "SELECT t1.g FROM t1 JOIN t2 ON t1.g = t2.g ORDER BY 1 LIMIT 4")
view("h_top_dups_ev", "SELECT g, s FROM ev JOIN dim USING (g) ORDER BY g DESC, s LIMIT 5")
view("h_top_dups_proj", "SELECT g FROM t1 ORDER BY g NULLS FIRST LIMIT 3")
