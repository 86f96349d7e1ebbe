/*
 * sql/generated.c — stored generated columns (see sql/generated.h for the model and the
 * invariants): reading the declaration at CREATE in both spellings, checking the expression as
 * PostgreSQL's cookDefault does, binding it again from its stored text wherever rows are made,
 * and computing it (row at a time for statements, column at a time for generator sources).
 *
 * Pipeline position:
 *   - the dialect pre-pass (sql/dialect.c scan_proctime) blanks RisingWave's `AS expr` so
 *     libpg_query parses the column as a plain one; PostgreSQL's GENERATED ALWAYS AS (expr)
 *     STORED arrives as a CONSTR_GENERATED constraint;
 *   - bind_create_table (sql/bind_ddl.c) records the text per column and calls
 *     generated_check_create() after all columns (an expression may name a later column);
 *   - INSERT (sql/bind_insert.c) wraps its row plan with generated_wrap_plan(); UPDATE and
 *     ON CONFLICT DO UPDATE (sql/bind_dml.c) and COPY FROM (sql/copy.c) call
 *     generated_compute() on each new row; stream/engine_gen.c calls sql_generated_fill() on
 *     each batch of generated rows.
 *
 * Invariants (besides those of the header):
 *   1. At CREATE the expression is parsed from a copy of the statement in which everything but
 *      the expression is blank and "SELECT " stands just before it, so every error (syntax,
 *      unknown column, types) carries the position of the original text.
 *   2. The stored text is the expression as written (for GENERATED ALWAYS AS (...), what is
 *      between the parentheses), never a deparsed form.
 */
#include "sql/generated.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/bind_scope.h"
#include "sql/bind_struct.h"
#include "sql/proctime.h"
#include "sql/table.h"

#define GEN_CONTEXT "column generation expressions"

bool
generated_is_column(const SqlRelColumn *col)
{
    return col != NULL && col->generated_expr != NULL;
}

int
generated_count(const SqlRelation *rel)
{
    int n = 0;

    for (int c = 0; c < rel->ncols; c++)
        n += generated_is_column(&rel->cols[c]);
    return n;
}

/* Generated in the sense of invariant 1: also a processing-time column. */
static bool
is_generated_like(const SqlRelColumn *col)
{
    return generated_is_column(col) || proctime_is_column(col);
}

/* ---- finding the expression in the statement text ------------------------------------------ */

/*
 * The expression of the column definition starting at byte `from`: RisingWave's `AS expr`
 * (is_pg false: the tokens after a depth-0 AS that is not PostgreSQL's, to the element's end)
 * or the inside of GENERATED ALWAYS AS ( ... ) starting at byte `from` (is_pg). Sets [*a, *z)
 * and *as (the AS's offset); false when there is none.
 */
static bool
find_expression(const char *text, int from, bool is_pg, int *as, int *a, int *z)
{
    ParseToken *tok = NULL;
    int ntok = parse_scan(text, &tok), i = 0, depth = 0, first, k = -1;
    bool found = false;

    /* a STRUCT<...> type is one token, so the commas between its fields end nothing */
    ntok = ntok > 0 ? bind_struct_merge_tokens(text, tok, ntok) : ntok;

    while (i < ntok && tok[i].start < from)
        i++;
    first = i;
    for (; i < ntok && k < 0; i++) {
        if (parse_token_is_char(text, &tok[i], '(')) {
            depth++;
        } else if (parse_token_is_char(text, &tok[i], ')') && depth-- == 0) {
            break;
        } else if ((parse_token_is_char(text, &tok[i], ',') || parse_token_is_char(text, &tok[i], ';')) && depth == 0) {
            break;
        } else if (depth == 0 && parse_token_is_word(text, &tok[i], "as") &&
                   (is_pg ? i > first : i >= first + 2) && i > 0 &&
                   parse_token_is_word(text, &tok[i - 1], "always") == is_pg &&
                   (is_pg || !parse_token_is_word(text, &tok[i - 1], "default"))) {
            if (!is_pg && i + 3 < ntok && parse_token_is_word(text, &tok[i + 1], "proctime") &&
                parse_token_is_char(text, &tok[i + 2], '(') && parse_token_is_char(text, &tok[i + 3], ')'))
                break; /* AS PROCTIME(): sql/proctime.c */
            k = i;
        }
    }
    if (k >= 0) {
        *as = tok[k].start;
        depth = 0;
        if (is_pg && k + 1 < ntok && parse_token_is_char(text, &tok[k + 1], '(')) {
            for (i = k + 1; i < ntok; i++) {
                if (parse_token_is_char(text, &tok[i], '('))
                    depth++;
                else if (parse_token_is_char(text, &tok[i], ')') && --depth == 0)
                    break;
            }
            if (i < ntok && i > k + 2) {
                *a = tok[k + 2].start;
                *z = tok[i - 1].end;
                found = true;
            }
        } else if (!is_pg) {
            for (i = k + 1; i < ntok; i++) {
                if (parse_token_is_char(text, &tok[i], '('))
                    depth++;
                else if (parse_token_is_char(text, &tok[i], ')') && depth-- == 0)
                    break;
                else if ((parse_token_is_char(text, &tok[i], ',') || parse_token_is_char(text, &tok[i], ';')) && depth == 0)
                    break;
            }
            if (i > k + 1) {
                *a = tok[k + 1].start;
                *z = tok[i - 1].end;
                found = true;
            }
        }
    }
    free(tok);
    return found;
}

/* Invariant 1: the expression text[a, z) parsed in place. NULL with the error. */
static const Node *
parse_in_place(BindCtx *b, int a, int z, SqlScript **script)
{
    size_t len = strlen(b->text);
    char *buf;
    const Node *n;
    int start, slen;

    *script = NULL;
    if (a < 7 || z <= a || (size_t)z > len) {
        bind_error(b, a, ERRCODE_SYNTAX_ERROR, "cannot read the generation expression");
        return NULL;
    }
    buf = arena_alloc(b->arena, len + 1);
    memset(buf, ' ', len);
    buf[len] = '\0';
    memcpy(buf + a - 7, "SELECT ", 7);
    memcpy(buf + a, b->text + a, (size_t)(z - a));
    if (sql_script_parse(b->session, buf, script, b->err) < 0) {
        size_t end = (size_t)z;

        while (end < len && (b->text[end] == ' ' || b->text[end] == '\t' || b->text[end] == '\n' ||
                             b->text[end] == '\r'))
            end++;
        /* the expression ran out: the error is at the column's real end (',' or ')') */
        if (strcmp(b->err->message, "syntax error at end of input") == 0 && end < len) {
            err_clear(b->err);
            bind_error(b, (int)end, ERRCODE_SYNTAX_ERROR, "syntax error at or near \"%c\"",
                       b->text[end]);
        }
        return NULL;
    }
    n = sql_script_count(*script) == 1 ? parse_statement(*script, 0, &start, &slen) : NULL;
    if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
        n->select_stmt->n_target_list != 1 || n->select_stmt->n_from_clause > 0 ||
        n->select_stmt->target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET) {
        bind_error(b, a, ERRCODE_SYNTAX_ERROR, "cannot read the generation expression");
        return NULL;
    }
    return n->select_stmt->target_list[0]->res_target->val;
}

/* ---- the raw tree: what transformExpr refuses in EXPR_KIND_GENERATED_COLUMN --------------- */

static bool
is_srf_name(const char *name)
{
    static const char *const srfs[] = {
        "generate_series",      "unnest",           "regexp_matches",    "regexp_split_to_table",
        "generate_subscripts",  "json_each",        "jsonb_each",        "json_array_elements",
        "jsonb_array_elements", "json_object_keys", "jsonb_object_keys", "pg_get_keywords"};

    for (size_t i = 0; name != NULL && i < sizeof srfs / sizeof srfs[0]; i++) {
        if (strcmp(name, srfs[i]) == 0)
            return true;
    }
    return false;
}

/*
 * The first SubLink or set-returning FuncCall under message m (a walk over protobuf-c's
 * descriptors, so every node kind is covered): 0 none, 1 with the error raised.
 */
static int
walk_raw(BindCtx *b, const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d;

    if (m == NULL)
        return 0;
    d = m->descriptor;
    if (d == &pg_query__sub_link__descriptor) {
        bind_error(b, ((const PgQuery__SubLink *)m)->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "cannot use subquery in column generation expression");
        return 1;
    }
    if (d == &pg_query__func_call__descriptor) {
        const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;

        if (fc->n_funcname > 0 && fc->over == NULL &&
            is_srf_name(bind_node_str(fc->funcname[fc->n_funcname - 1]))) {
            bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "set-returning functions are not allowed in " GEN_CONTEXT);
            return 1;
        }
    }
    for (unsigned f = 0; f < d->n_fields; f++) {
        const ProtobufCFieldDescriptor *fd = &d->fields[f];
        const char *base = (const char *)m;

        if (fd->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)(base + fd->quantifier_offset);
            ProtobufCMessage *const *items = *(ProtobufCMessage *const *const *)(base + fd->offset);

            for (size_t i = 0; i < n; i++) {
                if (walk_raw(b, items[i]) != 0)
                    return 1;
            }
            continue;
        }
        if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)(base + fd->quantifier_offset) != fd->id)
            continue;
        if (walk_raw(b, *(ProtobufCMessage *const *)(base + fd->offset)) != 0)
            return 1;
    }
    return 0;
}

/* ---- binding over the relation's row ------------------------------------------------------- */

/* The first node of e (pre-order) for which pred holds, or NULL. */
static const Expr *
find_node(const Expr *e, bool (*pred)(const Expr *, const void *), const void *arg)
{
    const Expr *r = NULL;

    if (e == NULL)
        return NULL;
    if (pred(e, arg))
        return e;
    switch (e->kind) {
    case EXPR_FUNC:
        for (int i = 0; r == NULL && i < e->u.func.nargs; i++)
            r = find_node(e->u.func.args[i], pred, arg);
        return r;
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        return find_node(e->u.arg, pred, arg);
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        for (int i = 0; r == NULL && i < e->u.list.nargs; i++)
            r = find_node(e->u.list.args[i], pred, arg);
        return r;
    case EXPR_NULLTEST:
        return find_node(e->u.nulltest.arg, pred, arg);
    case EXPR_BOOLTEST:
        return find_node(e->u.booltest.arg, pred, arg);
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        return find_node(e->u.distinct.eq, pred, arg);
    case EXPR_CASE:
        r = find_node(e->u.kase.arg, pred, arg);
        for (int i = 0; r == NULL && i < e->u.kase.nwhen; i++) {
            r = find_node(e->u.kase.when[i], pred, arg);
            if (r == NULL)
                r = find_node(e->u.kase.then[i], pred, arg);
        }
        return r != NULL ? r : find_node(e->u.kase.otherwise, pred, arg);
    default:
        return NULL;
    }
}

static bool
reads_generated(const Expr *e, const void *arg)
{
    const SqlRelation *rel = arg;

    return e->kind == EXPR_COLUMN && e->u.column >= 0 && e->u.column < rel->ncols &&
           is_generated_like(&rel->cols[e->u.column]);
}

/* Input or output through text that depends on settings (DateStyle, TimeZone ...). */
static bool
stable_io(Oid t, bool input)
{
    return t == TYPE_DATE || t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ || t == TYPE_INTERVAL ||
           t == TYPE_REGTYPE || (input && t == TYPE_TIME);
}

static bool
is_mutable(const Expr *e, const void *arg)
{
    (void)arg;
    if (e->kind == EXPR_FUNC && e->u.func.def == NULL && e->u.func.nargs == 2) {
        /* operators carry no FuncDef: PostgreSQL's stable ones are timestamptz ± interval and
           the comparisons of timestamptz with date or timestamp (they read TimeZone) */
        Oid l = e->u.func.args[0]->type, r = e->u.func.args[1]->type;
        Oid other = l == TYPE_TIMESTAMPTZ ? r : r == TYPE_TIMESTAMPTZ ? l : TYPE_INVALID;

        return other == TYPE_INTERVAL || other == TYPE_DATE || other == TYPE_TIMESTAMP;
    }
    if (e->kind == EXPR_FUNC)
        return e->u.func.def != NULL && (e->u.func.def->flags & (FN_STABLE | FN_VOLATILE)) != 0;
    if (e->kind == EXPR_COERCE_IO)
        return stable_io(e->type, true) || stable_io(e->u.arg->type, false);
    return false;
}

/* The raw expression bound over rel's row; *time_fn: the first time function it calls. */
static Expr *
bind_over_rel(BindCtx *b, const SqlRelation *rel, const Node *raw, const char **time_fn)
{
    int w = rel->ncols ? rel->ncols : 1;
    const char **names = arena_alloc(b->arena, sizeof(char *) * (size_t)w);
    Oid *types = arena_alloc(b->arena, sizeof(Oid) * (size_t)w);
    int32_t *typmods = arena_alloc(b->arena, sizeof(int32_t) * (size_t)w);
    QueryScope scope = {0}, *saved_scope = b->scope;
    ScopeRel sr = {0};
    const char *saved_tf = b->time_function;
    Expr *e;

    for (int c = 0; c < rel->ncols; c++) {
        names[c] = rel->cols[c].name;
        types[c] = rel->cols[c].type;
        typmods[c] = rel->cols[c].typmod;
    }
    sr.name = rel->name;
    sr.ncols = rel->ncols;
    sr.colnames = names;
    scope.nrels = 1;
    scope.rels = &sr;
    scope.ncols = rel->ncols;
    scope.types = types;
    scope.typmods = typmods;
    scope.agg_forbidden = GEN_CONTEXT;
    if (walk_raw(b, (const ProtobufCMessage *)raw) != 0)
        return NULL;
    b->scope = &scope;
    b->time_function = NULL;
    e = bind_expr(b, raw);
    if (time_fn != NULL)
        *time_fn = b->time_function;
    b->scope = saved_scope;
    b->time_function = saved_tf;
    return e;
}

/* ---- CREATE ---------------------------------------------------------------------------------- */

static int
record_text(BindCtx *b, const SqlRelation *rel, SqlRelColumn *col, int location, int a, int z)
{
    if (col->generated_expr != NULL)
        return bind_error(b, location, ERRCODE_SYNTAX_ERROR,
                          "multiple generation clauses specified for column \"%s\" of table "
                          "\"%s\"",
                          col->name, rel->name);
    if (col->default_expr != NULL)
        return bind_error(b, location, ERRCODE_SYNTAX_ERROR,
                          "both default and generation expression specified for column \"%s\" "
                          "of table \"%s\"",
                          col->name, rel->name);
    col->generated_expr = arena_strndup(b->arena, b->text + a, (size_t)(z - a));
    return 0;
}

int
generated_bind_constraint(BindCtx *b, const SqlRelation *rel, const PgQuery__ColumnDef *cd,
                          SqlRelColumn *col, const PgQuery__Constraint *con)
{
    int as, a, z;

    (void)cd;
    if (con->location < 0 || !find_expression(b->text, con->location, true, &as, &a, &z))
        return bind_error(b, con->location, ERRCODE_SYNTAX_ERROR,
                          "cannot read the generation expression");
    return record_text(b, rel, col, con->location, a, z);
}

int
generated_bind_column(BindCtx *b, const SqlRelation *rel, const PgQuery__ColumnDef *cd,
                      SqlRelColumn *col)
{
    int as, a, z;

    if (cd->location < 0 || !find_expression(b->text, cd->location, false, &as, &a, &z))
        return 0;
    return record_text(b, rel, col, as, a, z);
}

/* Where column definition cd's generation expression is in b->text. */
static bool
locate(BindCtx *b, const PgQuery__ColumnDef *cd, int *a, int *z)
{
    int as;

    for (size_t i = 0; i < cd->n_constraints; i++) {
        const Node *n = cd->constraints[i];

        if (n->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
            n->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED)
            return find_expression(b->text, n->constraint->location, true, &as, a, z);
    }
    return find_expression(b->text, cd->location, false, &as, a, z);
}

/* cookDefault for one generated column. */
static int
check_column(BindCtx *b, const SqlRelation *rel, const PgQuery__ColumnDef *cd,
             const SqlRelColumn *col)
{
    SqlScript *script = NULL;
    const Node *raw;
    const Expr *bad;
    const char *time_fn = NULL;
    Expr *e = NULL;
    int a, z, rc = -1;

    if (!locate(b, cd, &a, &z))
        return bind_error(b, cd->location, ERRCODE_SYNTAX_ERROR,
                          "cannot read the generation expression");
    if ((raw = parse_in_place(b, a, z, &script)) == NULL ||
        (e = bind_over_rel(b, rel, raw, &time_fn)) == NULL)
        goto done;
    if ((bad = find_node(e, reads_generated, rel)) != NULL) {
        bind_error(b, bad->location, ERRCODE_INVALID_OBJECT_DEFINITION,
                   "cannot use generated column \"%s\" in column generation expression",
                   rel->cols[bad->u.column].name);
        err_detail(b->err, "A generated column cannot reference another generated column.");
        goto done;
    }
    if (time_fn != NULL || find_node(e, is_mutable, NULL) != NULL) {
        bind_error(b, -1, ERRCODE_INVALID_OBJECT_DEFINITION,
                   "generation expression is not immutable");
        goto done;
    }
    rc = bind_coerce_to_column(b, &e, col);
done:
    sql_script_destroy(script);
    return rc;
}

int
generated_check_create(BindCtx *b, const SqlRelation *rel, const PgQuery__CreateStmt *cs)
{
    int c = 0;

    for (size_t i = 0; i < cs->n_table_elts && c < rel->ncols; i++) {
        const Node *n = cs->table_elts[i];

        if (n->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
            continue;
        if (generated_is_column(&rel->cols[c]) &&
            check_column(b, rel, n->column_def, &rel->cols[c]) < 0)
            return -1;
        c++;
    }
    return 0;
}

/* ---- statements that make rows ----------------------------------------------------------- */

/* Column c's expression bound from its stored text (errors without a position). */
static Expr *
bind_stored(BindCtx *b, const SqlRelation *rel, int c)
{
    const SqlRelColumn *col = &rel->cols[c];
    SqlScript *script = NULL;
    BindCtx sub = *b;
    const Node *n;
    Expr *e = NULL;
    int start, len;

    if (sql_script_parse(b->session, arena_sprintf(b->arena, "SELECT %s", col->generated_expr),
                         &script, b->err) < 0) {
        b->err->position = 0; /* a position in the stored text would mislead */
        return NULL;
    }
    n = sql_script_count(script) == 1 ? parse_statement(script, 0, &start, &len) : NULL;
    sub.text = script->text;
    sub.scope = NULL;
    if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
        n->select_stmt->n_target_list != 1)
        ERR_RAISE(b->err, ERRCODE_DATA_CORRUPTED,
                  "the generation expression of column \"%s\" is malformed", col->name);
    else if ((e = bind_over_rel(&sub, rel, n->select_stmt->target_list[0]->res_target->val,
                                NULL)) != NULL &&
             bind_coerce_to_column(&sub, &e, col) < 0)
        e = NULL;
    sql_script_destroy(script);
    if (e == NULL)
        b->err->position = 0;
    return e;
}

int
generated_bind_row(BindCtx *b, const SqlRelation *rel, const GeneratedRow **out)
{
    int n = generated_count(rel);
    GeneratedRow *g;

    *out = NULL;
    if (n == 0)
        return 0;
    g = arena_calloc(b->arena, 1, sizeof *g);
    g->cols = arena_alloc(b->arena, sizeof(int) * (size_t)n);
    g->exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)n);
    g->ncols = rel->ncols;
    for (int c = 0; c < rel->ncols; c++) {
        if (!generated_is_column(&rel->cols[c]))
            continue;
        if ((g->exprs[g->n] = bind_stored(b, rel, c)) == NULL)
            return -1;
        g->cols[g->n++] = c;
    }
    *out = g;
    return 0;
}

int
generated_compute(const GeneratedRow *g, EvalCtx *ctx, Value *row, Err *err)
{
    if (g == NULL)
        return 0;
    ctx->row = row;
    ctx->ncols = g->ncols;
    for (int i = 0; i < g->n; i++) {
        Value v;

        if (expr_eval(g->exprs[i], ctx, &v.d, &v.isnull, err) < 0)
            return -1;
        row[g->cols[i]] = v; /* invariant 2: no other expression reads it */
    }
    return 0;
}

int
generated_wrap_plan(BindCtx *b, const SqlRelation *rel, PlanNode **plan)
{
    const GeneratedRow *g;
    PlanNode *p;

    if (generated_bind_row(b, rel, &g) < 0)
        return -1;
    if (g == NULL)
        return 0;
    p = plan_new(b->arena, PLAN_PROJECT, *plan, rel->ncols);
    p->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)rel->ncols);
    for (int c = 0; c < rel->ncols; c++) {
        p->types[c] = rel->cols[c].type;
        p->typmods[c] = rel->cols[c].typmod;
        p->u.exprs[c] = bind_column_expr(b, c, rel->cols[c].type, rel->cols[c].typmod, -1);
    }
    for (int i = 0; i < g->n; i++)
        p->u.exprs[g->cols[i]] = g->exprs[i];
    *plan = p;
    return 0;
}

int
generated_check_insert_target(BindCtx *b, const SqlRelColumn *col)
{
    if (!generated_is_column(col))
        return proctime_check_insert_target(b, col);
    bind_error(b, -1, ERRCODE_GENERATED_ALWAYS,
               "cannot insert a non-DEFAULT value into column \"%s\"", col->name);
    err_detail(b->err, "Column \"%s\" is a generated column.", col->name);
    return -1;
}

int
generated_check_update_target(BindCtx *b, const SqlRelColumn *col)
{
    if (!is_generated_like(col))
        return 0;
    if (b == NULL)
        return -1;
    bind_error(b, -1, ERRCODE_GENERATED_ALWAYS, "column \"%s\" can only be updated to DEFAULT",
               col->name);
    err_detail(b->err, "Column \"%s\" is a generated column.", col->name);
    return -1;
}

int
generated_check_copy_column(BindCtx *b, const SqlRelColumn *col)
{
    if (!generated_is_column(col))
        return proctime_check_copy_column(b, col);
    bind_error(b, -1, ERRCODE_INVALID_COLUMN_REFERENCE, "column \"%s\" is a generated column",
               col->name);
    err_detail(b->err, "Generated columns cannot be used in COPY.");
    return -1;
}

/* ---- the engine's side ----------------------------------------------------------------------- */

struct SqlGenerated {
    SqlSession *session;
    Arena *arena;
    const GeneratedRow *row;
    bool *is_generated;
};

void
sql_generated_free(SqlGenerated *g)
{
    if (g == NULL)
        return;
    if (g->session != NULL)
        sql_session_destroy(g->session);
    arena_destroy(g->arena);
    free(g);
}

int
sql_generated_create(int ncols, const char *const *names, const Oid *types, const int32_t *typmods,
                     const char *const *exprs, SqlGenerated **out, Err *err)
{
    SqlGenerated *g;
    SqlRelation rel = {0};
    BindCtx b = {0};
    int n = 0;

    *out = NULL;
    for (int c = 0; c < ncols; c++)
        n += exprs[c] != NULL;
    if (n == 0)
        return 0;
    if ((g = calloc(1, sizeof *g)) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    g->arena = arena_create("generated", 0);
    if ((g->session = sql_session_create()) == NULL) {
        sql_generated_free(g);
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    rel.name = "";
    rel.ncols = ncols;
    rel.cols = arena_calloc(g->arena, (size_t)ncols + 1, sizeof(SqlRelColumn));
    g->is_generated = arena_calloc(g->arena, (size_t)ncols + 1, sizeof(bool));
    for (int c = 0; c < ncols; c++) {
        rel.cols[c] = (SqlRelColumn){
            .name = arena_strdup(g->arena, names[c]),
            .type = types[c],
            .typmod = typmods[c],
            .generated_expr = exprs[c] != NULL ? arena_strdup(g->arena, exprs[c]) : NULL};
        g->is_generated[c] = exprs[c] != NULL;
    }
    b.session = g->session;
    b.arena = g->arena;
    b.text = "";
    b.io = session_io(g->session);
    b.err = err;
    b.fixed_params = true;
    if (generated_bind_row(&b, &rel, &g->row) < 0) {
        sql_generated_free(g);
        return -1;
    }
    *out = g;
    return 0;
}

bool
sql_generated_has(const SqlGenerated *g, int c)
{
    return g != NULL && g->is_generated[c];
}

int
sql_generated_fill(SqlGenerated *g, Value *const *rows, int nrows, Arena *scratch, Err *err)
{
    EvalCtx ctx = {0};
    Value *out;

    if (g == NULL || g->row == NULL || nrows <= 0)
        return 0;
    out = arena_alloc(scratch, sizeof(Value) * (size_t)nrows);
    ctx.session = g->session;
    ctx.arena = scratch;
    ctx.io = session_io(g->session);
    ctx.ncols = g->row->ncols;
    for (int i = 0; i < g->row->n; i++) {
        int c = g->row->cols[i];

        if (expr_eval_batch(g->row->exprs[i], &ctx, (const Value *const *)rows, nrows, out, err) <
            0)
            return -1;
        for (int r = 0; r < nrows; r++)
            rows[r][c] = out[r];
    }
    return 0;
}
