/*
 * sql/resolve.c — PostgreSQL's type-resolution rules over the built-in
 * catalog (see sql/resolve.h).
 *
 * The code follows PostgreSQL 15's parse_coerce.c (find_coercion_pathway,
 * can_coerce_type, select_common_type) and parse_func.c
 * (func_match_argtypes, func_select_candidate) closely, step for step, so
 * that a reader can compare them; the comments name the step.
 *
 * Invariants:
 *   1. No allocation: candidate sets are index arrays on the stack, bounded
 *      by RESOLVE_MAX_CANDIDATES (more overloads of one name are ignored
 *      with a log-free truncation that the catalog never reaches).
 *   2. Deterministic: ties keep catalog order, so equal inputs always choose
 *      the same candidate.
 */
#include "sql/resolve.h"

#define RESOLVE_MAX_CANDIDATES 256

CoercionPath
resolve_coercion_path(Oid target, Oid source, CoercionContext cc, const FuncDef **func)
{
    const CastDef *cast;

    *func = NULL;
    if (source == target)
        return COERCION_PATH_RELABEL;
    cast = catalog_find_cast(source, target);
    if (cast != NULL) {
        if (cc < cast->context)
            return COERCION_PATH_NONE;
        if (cast->func == NULL)
            return COERCION_PATH_RELABEL;
        *func = catalog_find_func_exact(cast->func, 1, &source);
        return COERCION_PATH_FUNC;
    }
    /* No pg_cast entry: automatic I/O conversion casts to and from string types. */
    if (cc >= COERCION_ASSIGNMENT && type_category(target) == TYPCAT_STRING)
        return COERCION_PATH_IO;
    if (cc >= COERCION_EXPLICIT && type_category(source) == TYPCAT_STRING)
        return COERCION_PATH_IO;
    return COERCION_PATH_NONE;
}

/* check_generic_type_consistency() for the polymorphic types we have. */
static bool
generics_consistent(int n, const Oid *inputs, const Oid *targets)
{
    Oid elem = TYPE_INVALID;

    for (int i = 0; i < n; i++) {
        if (!type_is_polymorphic(targets[i]) || inputs[i] == TYPE_UNKNOWN)
            continue;
        if (targets[i] == TYPE_ANYARRAY)
            return false; /* no array types yet */
        if (elem != TYPE_INVALID && elem != inputs[i])
            return false;
        elem = inputs[i];
    }
    return true;
}

bool
resolve_can_coerce(int n, const Oid *inputs, const Oid *targets, CoercionContext cc)
{
    bool have_generics = false;
    const FuncDef *f;

    for (int i = 0; i < n; i++) {
        if (inputs[i] == targets[i] || targets[i] == TYPE_ANY)
            continue;
        if (type_is_polymorphic(targets[i])) {
            have_generics = true;
            continue;
        }
        if (inputs[i] == TYPE_UNKNOWN)
            continue; /* invariant 1 */
        if (resolve_coercion_path(targets[i], inputs[i], cc, &f) == COERCION_PATH_NONE)
            return false;
    }
    return !have_generics || generics_consistent(n, inputs, targets);
}

static bool
preferred_in(char category, Oid type)
{
    char c = type_category(type);

    if (category == c || category == TYPCAT_INVALID)
        return type_is_preferred(type);
    return false;
}

/* Keeps the candidates with the highest score; returns how many are left. */
static int
keep_best(int *set, int n, const int *score)
{
    int best = -1, kept = 0;

    for (int i = 0; i < n; i++) {
        if (score[i] > best)
            best = score[i];
    }
    for (int i = 0; i < n; i++) {
        if (score[i] == best)
            set[kept++] = set[i];
    }
    return kept;
}

/* func_select_candidate(), "resolve unknown inputs by type category" step. */
static int
by_unknown_categories(int nargs, const Oid *inputs, const Oid *const *cands, int *set, int n)
{
    char slot_cat[FUNC_MAX_ARGS];
    bool slot_pref[FUNC_MAX_ARGS];
    int kept = 0;

    for (int i = 0; i < nargs; i++) {
        bool conflict = false;

        if (inputs[i] != TYPE_UNKNOWN)
            continue;
        slot_cat[i] = TYPCAT_INVALID;
        slot_pref[i] = false;
        for (int c = 0; c < n; c++) {
            Oid t = cands[set[c]][i];
            char cat = type_category(t);

            if (slot_cat[i] == TYPCAT_INVALID || (cat != slot_cat[i] && cat == TYPCAT_STRING)) {
                slot_cat[i] = cat; /* first, or string wins for an unknown literal */
                slot_pref[i] = type_is_preferred(t);
            } else if (cat == slot_cat[i]) {
                slot_pref[i] |= type_is_preferred(t);
            } else {
                conflict = true;
            }
        }
        if (conflict && slot_cat[i] != TYPCAT_STRING)
            return n; /* failed to resolve the category conflict */
    }
    for (int c = 0; c < n; c++) {
        bool keep = true;

        for (int i = 0; i < nargs && keep; i++) {
            Oid t = cands[set[c]][i];

            if (inputs[i] != TYPE_UNKNOWN)
                continue;
            keep = type_category(t) == slot_cat[i] && (!slot_pref[i] || type_is_preferred(t));
        }
        if (keep)
            set[kept++] = set[c];
    }
    return kept > 0 ? kept : n;
}

/* func_select_candidate(), "last gasp": all known inputs have one type; assume it for unknowns. */
static int
by_known_type(int nargs, const Oid *inputs, const Oid *const *cands, const int *set, int n,
              int *chosen)
{
    Oid known = TYPE_UNKNOWN, assumed[FUNC_MAX_ARGS];
    int matches = 0;

    for (int i = 0; i < nargs; i++) {
        if (inputs[i] == TYPE_UNKNOWN)
            continue;
        if (known != TYPE_UNKNOWN && known != inputs[i])
            return n;
        known = inputs[i];
    }
    if (known == TYPE_UNKNOWN)
        return n;
    for (int i = 0; i < nargs; i++)
        assumed[i] = known;
    for (int c = 0; c < n; c++) {
        if (resolve_can_coerce(nargs, assumed, cands[set[c]], COERCION_IMPLICIT)) {
            *chosen = set[c];
            if (++matches > 1)
                return n;
        }
    }
    return matches == 1 ? 1 : n;
}

static int
select_candidate(int nargs, const Oid *inputs, const Oid *const *cands, int *set, int n,
                 int *chosen)
{
    int score[RESOLVE_MAX_CANDIDATES];
    int nunknowns = 0;

    for (int i = 0; i < nargs; i++)
        nunknowns += inputs[i] == TYPE_UNKNOWN;
    /* Step 1: keep the candidates with the most exact matches on known inputs. */
    for (int c = 0; c < n; c++) {
        score[c] = 0;
        for (int i = 0; i < nargs; i++)
            score[c] += inputs[i] != TYPE_UNKNOWN && cands[set[c]][i] == inputs[i];
    }
    n = keep_best(set, n, score);
    /* Step 2: exact matches or preferred types of the input's category. */
    if (n > 1) {
        for (int c = 0; c < n; c++) {
            score[c] = 0;
            for (int i = 0; i < nargs; i++) {
                Oid t = cands[set[c]][i];

                score[c] += inputs[i] != TYPE_UNKNOWN &&
                            (t == inputs[i] || preferred_in(type_category(inputs[i]), t));
            }
        }
        n = keep_best(set, n, score);
    }
    if (n > 1 && nunknowns > 0) {
        n = by_unknown_categories(nargs, inputs, cands, set, n);
        if (n > 1 && nunknowns < nargs)
            n = by_known_type(nargs, inputs, cands, set, n, chosen);
        else if (n == 1)
            *chosen = set[0];
        return n;
    }
    if (n == 1)
        *chosen = set[0];
    return n;
}

int
resolve_select(int nargs, const Oid *inputs, const Oid *const *cands, int ncands, int *chosen)
{
    int set[RESOLVE_MAX_CANDIDATES];
    int n = 0;

    if (ncands > RESOLVE_MAX_CANDIDATES)
        ncands = RESOLVE_MAX_CANDIDATES;
    /* func_match_argtypes: only candidates every input can be implicitly coerced to. */
    for (int c = 0; c < ncands; c++) {
        if (resolve_can_coerce(nargs, inputs, cands[c], COERCION_IMPLICIT))
            set[n++] = c;
    }
    if (n == 1)
        *chosen = set[0];
    if (n <= 1)
        return n;
    return select_candidate(nargs, inputs, cands, set, n, chosen);
}

Oid
resolve_polymorphic(int nargs, const Oid *inputs, const Oid *declared)
{
    Oid found = TYPE_INVALID;

    for (int i = 0; i < nargs; i++) {
        if (!type_is_polymorphic(declared[i]))
            continue;
        if (inputs[i] != TYPE_UNKNOWN)
            return inputs[i];
        found = TYPE_UNKNOWN;
    }
    return found;
}

Oid
resolve_common_type(int n, const Oid *types, int *bad)
{
    Oid ptype;
    char pcat;
    bool ppref, all_same = true;

    if (n <= 0)
        return TYPE_TEXT;
    ptype = types[0];

    for (int i = 1; i < n; i++)
        all_same &= types[i] == ptype;
    if (all_same && ptype != TYPE_UNKNOWN)
        return ptype;
    pcat = type_category(ptype);
    ppref = type_is_preferred(ptype);
    for (int i = 1; i < n; i++) {
        Oid ntype = types[i];

        if (ntype == TYPE_UNKNOWN || ntype == ptype)
            continue;
        if (ptype == TYPE_UNKNOWN) {
            /* so far only unknowns: take anything */
        } else if (type_category(ntype) != pcat) {
            *bad = i;
            return TYPE_INVALID;
        } else if (ppref || !resolve_can_coerce(1, &ptype, &ntype, COERCION_IMPLICIT) ||
                   resolve_can_coerce(1, &ntype, &ptype, COERCION_IMPLICIT)) {
            continue; /* keep the current type */
        }
        ptype = ntype;
        pcat = type_category(ntype);
        ppref = type_is_preferred(ntype);
    }
    return ptype == TYPE_UNKNOWN ? TYPE_TEXT : ptype;
}
