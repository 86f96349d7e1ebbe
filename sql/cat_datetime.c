/*
 * sql/cat_datetime.c — the datetime part of the built-in catalog (see sql/catalog.h):
 * its types, functions, operators and casts.
 *
 * Invariants:
 *   1. Tables are const and never modified.
 */
#include "sql/builtins.h"
#include "sql/catalog.h"

const CatalogPart catalog_part_datetime = {NULL, 0, NULL, 0, NULL, 0, NULL, 0};
