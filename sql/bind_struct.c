/*
 * sql/bind_struct.c — `STRUCT<name type, ...>` in SQL text (sql/bind_struct.h): the dialect
 * pre-pass's rewriting of each span into a placeholder type name, the binder's resolution of
 * that placeholder, and the resolution of one field type written as text.
 *
 * A field type other than a nested STRUCT is resolved by parsing "SELECT NULL::<type>" with
 * libpg_query and binding the cast's TypeName with bind_type_name(), so every spelling a
 * column definition accepts (DOUBLE PRECISION, NUMERIC(10,2), TIMESTAMP WITH TIME ZONE,
 * "int4", pg_catalog.varchar) is accepted here with the same errors; positions are moved back
 * into the user's text.
 *
 * The placeholder is `"<MARK>xxxxxxxx"` (MARK = BIND_STRUCT_MARK, then the typmod in 8 lower
 * case hex digits), 11 bytes; the shortest STRUCT span, `STRUCT<a INT>`, has 13.
 *
 * Invariants:
 *   1. A span is rewritten only when it is a complete STRUCT<...> whose types all resolved
 *      and whose type was interned (bind_struct.h invariant 2).
 *   2. `struct` followed by '<' and something that cannot start a field (a number, an
 *      operator) is left alone: `struct < 5` compares a column named struct.
 */
#include "sql/bind_struct.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/bind_int.h"
#include "sql/types_struct.h"

#define PREFIX "SELECT NULL::"
#define PREFIX_LEN ((int)sizeof PREFIX - 1)
#define PLACEHOLDER_LEN 11

/* ---- one field type as text ------------------------------------------------------------- */

/* The TypeName of "SELECT NULL::<type>" when that is all the statement holds, else NULL. */
static const PgQuery__TypeName *
cast_type_name(const SqlScript *script)
{
    const PgQuery__Node *n;
    const PgQuery__SelectStmt *sel;
    const PgQuery__ResTarget *rt;
    int start, len;

    if (sql_script_count(script) != 1 || (n = parse_statement(script, 0, &start, &len)) == NULL ||
        n->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
        return NULL;
    sel = n->select_stmt;
    if (sel->n_target_list != 1 || sel->n_from_clause != 0 || sel->where_clause != NULL ||
        sel->n_group_clause != 0 || sel->having_clause != NULL || sel->n_sort_clause != 0 ||
        sel->limit_count != NULL || sel->limit_offset != NULL || sel->n_window_clause != 0 ||
        sel->n_distinct_clause != 0 || sel->into_clause != NULL || sel->with_clause != NULL ||
        sel->n_locking_clause != 0 || sel->n_values_lists != 0 ||
        sel->target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET)
        return NULL;
    rt = sel->target_list[0]->res_target;
    if ((rt->name != NULL && rt->name[0] != '\0') || rt->val == NULL ||
        rt->val->node_case != PG_QUERY__NODE__NODE_TYPE_CAST || rt->val->type_cast->arg == NULL ||
        rt->val->type_cast->arg->node_case != PG_QUERY__NODE__NODE_A_CONST)
        return NULL;
    return rt->val->type_cast->type_name;
}

/* Moves a position in PREFIX + s to the user's text (pos_base: where s starts there). */
static void
move_position(Err *err, int pos_base)
{
    if (err->position <= 0)
        return;
    if (pos_base <= 0)
        err->position = 0;
    else
        err->position =
            pos_base + (err->position > PREFIX_LEN ? err->position - PREFIX_LEN - 1 : 0);
}

int
bind_struct_type_text(const char *s, size_t n, int pos_base, Oid *type, int32_t *typmod, Err *err)
{
    const PgQuery__TypeName *tn;
    SqlScript *script = NULL;
    char *text;
    BindCtx b;
    int rc = -1;

    text = malloc((size_t)PREFIX_LEN + n + 1);
    if (text == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    memcpy(text, PREFIX, (size_t)PREFIX_LEN);
    memcpy(text + PREFIX_LEN, s, n);
    text[PREFIX_LEN + n] = '\0';
    if (sql_script_parse(NULL, text, &script, err) < 0) {
        move_position(err, pos_base);
        free(text);
        return -1;
    }
    tn = cast_type_name(script);
    if (tn == NULL) {
        ERR_RAISE(err, ERRCODE_SYNTAX_ERROR, "syntax error in struct field type \"%.*s\"",
                  n > 200 ? 200 : (int)n, s);
        if (pos_base > 0)
            err_position(err, pos_base);
    } else {
        memset(&b, 0, sizeof b);
        b.arena = arena_create("struct", 0);
        b.text = text;
        b.io = &type_io_default;
        b.err = err;
        b.fixed_params = true;
        rc = bind_type_name(&b, tn, type, typmod);
        if (rc < 0)
            move_position(err, pos_base);
        arena_destroy(b.arena);
    }
    sql_script_destroy(script);
    free(text);
    return rc;
}

/* ---- the placeholder -------------------------------------------------------------------- */

bool
bind_struct_lookup(const char *name, int32_t *typmod)
{
    unsigned long v;
    char *end;

    if (name == NULL || name[0] != BIND_STRUCT_MARK || strlen(name) != PLACEHOLDER_LEN - 2)
        return false;
    v = strtoul(name + 1, &end, 16);
    if (*end != '\0' || v > INT32_MAX || struct_type_lookup((int32_t)v) == NULL)
        return false;
    *typmod = (int32_t)v;
    return true;
}

int
bind_struct_type_name(BindCtx *b, const PgQuery__TypeName *tn, Oid *out, int32_t *typmod)
{
    const char *name = tn->n_names == 1 ? bind_node_str(tn->names[0]) : NULL;

    if (name == NULL || name[0] != BIND_STRUCT_MARK)
        return 1;
    if (!bind_struct_lookup(name, typmod))
        return bind_error(b, tn->location, ERRCODE_UNDEFINED_OBJECT, "type \"%s\" does not exist",
                          name);
    if (tn->n_array_bounds > 0)
        return bind_error(b, tn->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "type struct[] is not supported yet");
    if (tn->n_typmods > 0)
        return bind_error(b, tn->location, ERRCODE_SYNTAX_ERROR,
                          "type modifier is not allowed for type \"record\"");
    *out = TYPE_RECORD;
    return 0;
}

/* ---- the pre-pass ----------------------------------------------------------------------- */

typedef struct Rw {
    const char *text;
    size_t len;
    const ParseToken *tok;
    int ntok;
    int k;        /* the current token */
    int consumed; /* characters of tok[k] already read ('>' of a '>>') */
    Err *err;
} Rw;

static int
char_pos(const char *text, size_t off)
{
    return text_char_count(text, off) + 1;
}

static bool
tok_is(const Rw *r, int k, const char *s)
{
    size_t n = strlen(s);

    return k < r->ntok && (size_t)(r->tok[k].end - r->tok[k].start) == n &&
           strncasecmp(r->text + r->tok[k].start, s, n) == 0;
}

/* The next unread character of the token stream is c ('<', '>', ','). */
static bool
at_char(const Rw *r, char c)
{
    return r->k < r->ntok && r->tok[r->k].kind != PTOK_STRING && r->tok[r->k].kind != PTOK_QIDENT &&
           r->text[r->tok[r->k].start + r->consumed] == c &&
           (r->tok[r->k].kind == PTOK_CHAR || r->tok[r->k].kind == PTOK_OTHER);
}

static void
advance_char(Rw *r)
{
    if (r->tok[r->k].start + r->consumed + 1 < r->tok[r->k].end) {
        r->consumed++;
    } else {
        r->k++;
        r->consumed = 0;
    }
}

static int
syntax_error(Rw *r)
{
    if (r->k >= r->ntok) {
        ERR_RAISE(r->err, ERRCODE_SYNTAX_ERROR, "syntax error at end of input");
        err_position(r->err, char_pos(r->text, r->len));
        return -1;
    }
    ERR_RAISE(r->err, ERRCODE_SYNTAX_ERROR, "syntax error at or near \"%.*s\"",
              r->tok[r->k].end - r->tok[r->k].start - r->consumed > 200
                  ? 200
                  : r->tok[r->k].end - r->tok[r->k].start - r->consumed,
              r->text + r->tok[r->k].start + r->consumed);
    err_position(r->err, char_pos(r->text, (size_t)(r->tok[r->k].start + r->consumed)));
    return -1;
}

/* A field name token: unquoted names lower-cased, quoted ones undoubled. Arena-free: malloc. */
static char *
field_name(const Rw *r, int k)
{
    const char *s = r->text + r->tok[k].start;
    size_t n = (size_t)(r->tok[k].end - r->tok[k].start), o = 0;
    char *name = malloc(n + 1);

    if (name == NULL)
        abort();
    if (r->tok[k].kind == PTOK_QIDENT && s[0] == '"') {
        for (size_t i = 1; i + 1 < n; i++) {
            name[o++] = s[i];
            if (s[i] == '"')
                i++;
        }
    } else {
        for (size_t i = 0; i < n; i++)
            name[o++] = (char)tolower((unsigned char)s[i]);
    }
    /* identifiers are cut to NAMEDATALEN - 1 bytes, as PostgreSQL's scanner cuts them */
    name[text_clip_utf8(name, o, 63)] = '\0';
    return name;
}

static int parse_struct(Rw *r, int depth, const StructType **out);

/* One field's type at r->k, up to the ',' or '>' that ends it (parentheses balanced). */
static int
parse_field_type(Rw *r, int depth, StructField *f)
{
    int a = r->k, par = 0;
    const char *s;

    if (r->consumed == 0 && tok_is(r, r->k, "struct") && r->k + 1 < r->ntok &&
        r->text[r->tok[r->k + 1].start] == '<') {
        const StructType *inner;

        if (parse_struct(r, depth + 1, &inner) < 0)
            return -1;
        f->type = TYPE_RECORD;
        f->typmod = inner->typmod;
        return 0;
    }
    while (r->k < r->ntok && (par > 0 || !(at_char(r, ',') || at_char(r, '>')))) {
        if (r->tok[r->k].kind == PTOK_CHAR && r->text[r->tok[r->k].start] == '(')
            par++;
        else if (r->tok[r->k].kind == PTOK_CHAR && r->text[r->tok[r->k].start] == ')')
            par--;
        else if (r->tok[r->k].kind == PTOK_CHAR && r->text[r->tok[r->k].start] == ';')
            break;
        if (par < 0)
            break;
        r->k++;
        r->consumed = 0;
    }
    if (r->k == a || r->k >= r->ntok || par != 0 || !(at_char(r, ',') || at_char(r, '>')))
        return syntax_error(r);
    s = r->text + r->tok[a].start;
    return bind_struct_type_text(s, (size_t)(r->tok[r->k - 1].end - r->tok[a].start),
                                 char_pos(r->text, (size_t)r->tok[a].start), &f->type, &f->typmod,
                                 r->err);
}

/* STRUCT '<' name type (',' name type)* '>' at r->k (the word STRUCT). */
static int
parse_struct(Rw *r, int depth, const StructType **out)
{
    StructField *fields = NULL;
    int n = 0, cap = 0, rc = -1;

    if (depth > 32)
        return syntax_error(r);
    r->k++; /* STRUCT */
    if (tok_is(r, r->k, "<>")) {
        r->consumed = 1;
        return syntax_error(r);
    }
    advance_char(r); /* '<' */
    for (;;) {
        if (n > 0) {
            if (at_char(r, '>')) {
                advance_char(r);
                break;
            }
            if (!at_char(r, ','))
                goto syntax;
            advance_char(r);
        }
        if (r->consumed != 0 || r->k >= r->ntok ||
            (r->tok[r->k].kind != PTOK_WORD && r->tok[r->k].kind != PTOK_QIDENT))
            goto syntax;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            fields = realloc(fields, sizeof *fields * (size_t)cap);
            if (fields == NULL)
                abort();
        }
        fields[n].name = field_name(r, r->k);
        fields[n].typmod = -1;
        n++;
        r->k++;
        if (parse_field_type(r, depth, &fields[n - 1]) < 0)
            goto done;
    }
    rc = struct_type_intern(fields, n, out, r->err);
    goto done;
syntax:
    syntax_error(r);
done:
    for (int i = 0; i < n; i++)
        free((char *)fields[i].name);
    free(fields);
    return rc;
}

/* Overwrites text[a, b) of out with the placeholder of typmod; newlines move to the end. */
static void
put_placeholder(char *out, size_t a, size_t b, int32_t typmod)
{
    char ph[PLACEHOLDER_LEN + 1];
    int nl = 0;

    for (size_t i = a; i < b; i++)
        nl += out[i] == '\n';
    snprintf(ph, sizeof ph, "\"%c%08x\"", BIND_STRUCT_MARK, (unsigned)typmod);
    memset(out + a, ' ', b - a);
    memcpy(out + a, ph, PLACEHOLDER_LEN);
    memset(out + b - (size_t)nl, '\n', (size_t)nl);
}

/* Invariant 2: STRUCT '<' followed by a name or '>' (the empty, refused STRUCT<>). */
static bool
starts_struct(const Rw *r, int k)
{
    if (!tok_is(r, k, "struct") || r->tok[k].kind != PTOK_WORD || k + 1 >= r->ntok)
        return false;
    if (tok_is(r, k + 1, "<>"))
        return true;
    if (!tok_is(r, k + 1, "<") || k + 2 >= r->ntok)
        return false;
    return r->tok[k + 2].kind == PTOK_WORD || r->tok[k + 2].kind == PTOK_QIDENT ||
           tok_is(r, k + 2, ">");
}

int
bind_struct_rewrite(const char *text, size_t len, ParseToken *tok, int *ntok, char *out, Err *err)
{
    Rw r = {.text = text, .len = len, .tok = tok, .ntok = *ntok, .err = err};
    int count = 0;

    for (int k = 0; k < r.ntok; k++) {
        const StructType *st;
        size_t a, b;

        if (!starts_struct(&r, k))
            continue;
        r.k = k;
        r.consumed = 0;
        if (tok_is(&r, k + 1, "<") && tok_is(&r, k + 2, ">")) {
            r.k = k + 2;
            return syntax_error(&r);
        }
        if (parse_struct(&r, 0, &st) < 0)
            return -1;
        if (r.consumed > 0) {
            /* the outer '>' shares a token with what follows ('>>', '>='): not a type */
            return syntax_error(&r);
        }
        a = (size_t)tok[k].start;
        b = (size_t)tok[r.k - 1].end;
        put_placeholder(out, a, b, st->typmod);
        count++;
        /* the span becomes one quoted-identifier token, as the rewritten text scans: the
         * pre-pass's column scanning sees no commas inside it */
        tok[k] = (ParseToken){(int)a, (int)b, PTOK_QIDENT};
        memmove(&tok[k + 1], &tok[r.k], sizeof *tok * (size_t)(r.ntok - r.k));
        r.ntok -= r.k - k - 1;
    }
    *ntok = r.ntok;
    return count;
}

bool
bind_struct_trigger(const char *text, size_t len)
{
    for (size_t i = 0; i + 6 <= len; i++) {
        size_t j;

        if ((text[i] | 0x20) != 's' || strncasecmp(text + i, "struct", 6) != 0)
            continue;
        for (j = i + 6; j < len && isspace((unsigned char)text[j]); j++)
            ;
        if (j < len && text[j] == '<')
            return true;
    }
    return false;
}

/* ---- coercion to a struct type ------------------------------------------------------------ */

int
bind_struct_coerce_typmod(BindCtx *b, Expr **e, int32_t typmod, int location)
{
    Expr *x = *e, *n;
    Buf from, to;

    if (x->kind == EXPR_COERCE_IO && x->typmod < 0 && x->u.arg->kind == EXPR_CONST &&
        x->u.arg->type == TYPE_UNKNOWN) {
        const VarData *v = datum_get_var(x->u.arg->u.konst.d);
        Datum d;

        if (record_in(v->data, v->len, typmod, b->io, b->arena, &d, b->err) < 0) {
            err_position(b->err, bind_position(b, x->u.arg->location));
            return -1;
        }
        n = expr_const(b->arena, TYPE_RECORD, d, false, x->u.arg->location);
        n->typmod = typmod;
        *e = n;
        return 0;
    }
    if (typmod < 0 || typmod == x->typmod)
        return 0;
    if (x->kind == EXPR_PARAM && x->typmod < 0 && x->u.param < b->nparams &&
        b->param_types[x->u.param] == TYPE_RECORD) {
        /* $n given for a struct: sent as text, read by record_in with the struct's typmod */
        b->param_types[x->u.param] = TYPE_TEXT;
        x->type = TYPE_TEXT;
        n = expr_new(b->arena, EXPR_COERCE_IO, TYPE_RECORD, x->location);
        n->u.arg = x;
        n->typmod = typmod;
        *e = n;
        return 0;
    }
    if ((x->kind == EXPR_CONST && x->u.konst.isnull) ||
        (x->kind == EXPR_COERCE_IO && x->typmod < 0)) {
        /* NULL, or text read as a struct (x::text::STRUCT<...>): record_in gets the typmod */
        n = arena_memdup(b->arena, x, sizeof *x);
        n->typmod = typmod;
        *e = n;
        return 0;
    }
    buf_init(&from, 4096);
    buf_init(&to, 4096);
    struct_type_format(TYPE_RECORD, x->typmod, &from);
    struct_type_format(TYPE_RECORD, typmod, &to);
    buf_put_u8(&from, '\0');
    buf_put_u8(&to, '\0');
    bind_error(b, location >= 0 ? location : x->location, ERRCODE_CANNOT_COERCE,
               "cannot cast type %s to %s", from.failed ? "record" : (const char *)from.data,
               to.failed ? "record" : (const char *)to.data);
    buf_free(&from);
    buf_free(&to);
    return -1;
}

/* ---- token streams ------------------------------------------------------------------------ */

int
bind_struct_merge_tokens(const char *text, ParseToken *tok, int ntok)
{
    for (int k = 0; k + 1 < ntok; k++) {
        int depth = 0, i;

        if (tok[k].kind != PTOK_WORD || tok[k].end - tok[k].start != 6 ||
            strncasecmp(text + tok[k].start, "struct", 6) != 0 || text[tok[k + 1].start] != '<')
            continue;
        for (i = k + 1; i < ntok; i++) {
            if (tok[i].kind == PTOK_CHAR || tok[i].kind == PTOK_OTHER) {
                const char *p = text + tok[i].start;

                if (strspn(p, "<>") < (size_t)(tok[i].end - tok[i].start)) {
                    if (*p == ';')
                        break;
                    continue;
                }
                for (; p < text + tok[i].end; p++)
                    depth += *p == '<' ? 1 : -1;
                if (depth <= 0)
                    break;
            }
        }
        if (i >= ntok || depth != 0)
            continue; /* not closed here (or by a '>>' shared with what follows): left alone */
        tok[k] = (ParseToken){tok[k].start, tok[i].end, PTOK_QIDENT};
        memmove(&tok[k + 1], &tok[i + 1], sizeof *tok * (size_t)(ntok - i - 1));
        ntok -= i - k;
    }
    return ntok;
}
