/*
 * sql/copy_int.h — what the binder needs of sql/copy.c, and the two binder
 * entry points COPY reuses (SELECT for COPY TO, column defaults for FROM).
 * Private to sql/.
 */
#ifndef RIVULET_SQL_COPY_INT_H
#define RIVULET_SQL_COPY_INT_H

#include "sql/bind_int.h"
#include "sql/relation.h"

typedef struct CopySpec CopySpec;

/* COPY ... FROM STDIN / TO STDOUT (sql/copy.c). */
int bind_copy(BindCtx *b, SqlStatement *st, const PgQuery__CopyStmt *cs);

/* sql/binder.c */
int bind_select(BindCtx *b, SqlStatement *st, const PgQuery__SelectStmt *sel);

/* sql/bind_insert.c: the column's default bound from its text (a typed NULL without one). */
Expr *bind_default_expr(BindCtx *b, const SqlRelColumn *col);

#endif
