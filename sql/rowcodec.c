/*
 * sql/rowcodec.c — the row format of sql/rowcodec.h: encoding, validation
 * and in-place reads.
 *
 * Widths of by-value types come from a switch over the built-in OIDs (no
 * registry scan per value); any other type falls back to the registry's
 * typlen/byval, looked up once per call.
 *
 * Invariants:
 *   1. Values are written with memcpy and read with memcpy: no unaligned
 *      loads, whatever the row's address.
 *   2. Sign-extension on read restores the Datum words sql/datum.h expects
 *      (int2/int4/date/oid sign-extended, float4 bits zero-extended).
 */
#include "sql/rowcodec.h"

#include <stdalign.h>
#include <string.h>

#include "sql/func_catalog.h"

#define VAR_ALIGN ((size_t)alignof(VarData))

/* Bytes of a by-value type, or -1 for a by-reference one. */
static int
value_width(Oid type)
{
    const TypeInfo *t;

    switch (type) {
    case TYPE_BOOL:
        return 1;
    case TYPE_INT2:
        return 2;
    case TYPE_INT4:
    case TYPE_DATE:
    case TYPE_OID:
    case TYPE_REGTYPE:
    case TYPE_FLOAT4:
        return 4;
    case TYPE_INT8:
    case TYPE_FLOAT8:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        return 8;
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_BYTEA:
    case TYPE_NUMERIC:
    case TYPE_INTERVAL:
    case TYPE_UNKNOWN:
        return -1;
    default:
        t = type_by_oid(type);
        if (t != NULL && t->byval && t->typlen > 0 && t->typlen <= 8)
            return t->typlen;
        return -1;
    }
}

/* flags: offsets are u32 (rows of 64 kB or more); else u16 */
#define ROW_WIDE 0x01
#define NARROW_MAX 0xFFFF

static size_t
header_len(int ncols, bool wide)
{
    size_t h = 4 + ((size_t)ncols + 7) / 8;

    h = (h + 3) & ~(size_t)3;
    return h + (wide ? 4 : 2) * (size_t)ncols;
}

static size_t
pad_to(size_t off, size_t align)
{
    return (off + align - 1) & ~(align - 1);
}

static uint32_t
get_offset(const uint8_t *row, int ncols, int col)
{
    bool wide = (row[3] & ROW_WIDE) != 0;
    const uint8_t *p = row + header_len(ncols, wide) - (wide ? 4 : 2) * (size_t)(ncols - col);
    uint32_t off;
    uint16_t off16;

    if (wide) {
        memcpy(&off, p, sizeof off);
        return off;
    }
    memcpy(&off16, p, sizeof off16);
    return off16;
}

static void
set_offset(uint8_t *row, int ncols, bool wide, int col, uint32_t off)
{
    uint8_t *p = row + header_len(ncols, wide) - (wide ? 4 : 2) * (size_t)(ncols - col);

    if (wide)
        memcpy(p, &off, sizeof off);
    else
        memcpy(p, &(uint16_t){(uint16_t)off}, sizeof(uint16_t));
}

/* The encoded size of the row with a header of hlen bytes. */
static size_t
row_size(const Oid *types, int ncols, const Value *vals, size_t hlen)
{
    size_t pos = hlen;

    for (int i = 0; i < ncols; i++) {
        int w;

        if (vals[i].isnull)
            continue;
        w = value_width(types[i]);
        if (w > 0) {
            pos += (size_t)w;
        } else {
            pos = pad_to(pos, VAR_ALIGN);
            pos += sizeof(VarData) + datum_get_var(vals[i].d)->len + 1;
        }
    }
    return pos;
}

int
rowcodec_encode(const Oid *types, int ncols, const Value *vals, Buf *out, Err *err)
{
    size_t base = out->len, hlen, pos;
    bool wide = false;
    uint8_t *row;

    if (ncols < 0 || ncols > ROWCODEC_MAX_COLS)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "tables can have at most %d columns",
                         ROWCODEC_MAX_COLS);
    /* first pass: the size, so the header can be written in place; u16 offsets if they fit */
    hlen = header_len(ncols, false);
    pos = row_size(types, ncols, vals, hlen);
    if (pos > NARROW_MAX) {
        wide = true;
        hlen = header_len(ncols, true);
        pos = row_size(types, ncols, vals, hlen);
    }
    if (pos > UINT32_MAX || !buf_reserve(out, pos))
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "row is too big");
    row = out->data + base;
    memset(row, 0, pos);
    row[0] = (uint8_t)(ncols & 0xFF);
    row[1] = (uint8_t)(ncols >> 8);
    row[2] = ROWCODEC_VERSION;
    row[3] = wide ? ROW_WIDE : 0;
    pos = hlen;
    for (int i = 0; i < ncols; i++) {
        uint32_t off = 0;
        int w;

        if (vals[i].isnull) {
            row[4 + i / 8] |= (uint8_t)(1u << (i % 8));
        } else if ((w = value_width(types[i])) > 0) {
            uint64_t word = vals[i].d;
            uint8_t b[8];

            /* the low w bytes of the word, in host order */
            if (w == 1)
                b[0] = (uint8_t)word;
            else if (w == 2)
                memcpy(b, &(uint16_t){(uint16_t)word}, 2);
            else if (w == 4)
                memcpy(b, &(uint32_t){(uint32_t)word}, 4);
            else
                memcpy(b, &word, 8);
            off = (uint32_t)pos;
            memcpy(row + pos, b, (size_t)w);
            pos += (size_t)w;
        } else {
            const VarData *v = datum_get_var(vals[i].d);

            pos = pad_to(pos, VAR_ALIGN);
            off = (uint32_t)pos;
            memcpy(row + pos, &v->len, sizeof v->len);
            memcpy(row + pos + sizeof(VarData), v->data, v->len);
            pos += sizeof(VarData) + v->len + 1; /* the NUL is already 0 */
        }
        set_offset(row, ncols, wide, i, off);
    }
    out->len = base + pos;
    return 0;
}

int
rowcodec_ncols(const uint8_t *row)
{
    return row[0] | row[1] << 8;
}

bool
rowcodec_isnull(const uint8_t *row, int col)
{
    return (row[4 + col / 8] >> (col % 8)) & 1;
}

/* The value of a non-NULL column at off, w its value_width (the row checked). */
static inline Datum
value_at(const uint8_t *row, uint32_t off, int w, Oid type, Arena *a)
{
    if (w == 1)
        return row[off] != 0;
    if (w == 2) {
        int16_t x;

        memcpy(&x, row + off, 2);
        return datum_from_int16(x);
    }
    if (w == 4) {
        uint32_t x;

        memcpy(&x, row + off, 4);
        return type == TYPE_FLOAT4 ? (Datum)x : datum_from_int32((int32_t)x);
    }
    if (w == 8) {
        Datum d;

        memcpy(&d, row + off, 8);
        return d;
    }
    if (((uintptr_t)(row + off) & (VAR_ALIGN - 1)) == 0)
        return datum_from_var((const VarData *)(const void *)(row + off));
    {
        uint32_t len;

        memcpy(&len, row + off, sizeof len);
        return datum_from_text(a, (const char *)row + off + sizeof(VarData), len);
    }
}

Value
rowcodec_get(const uint8_t *row, const Oid *types, int col, Arena *a)
{
    int ncols = rowcodec_ncols(row);
    Value v = {0, true};

    if (rowcodec_isnull(row, col))
        return v;
    v.isnull = false;
    v.d = value_at(row, get_offset(row, ncols, col), value_width(types[col]), types[col], a);
    return v;
}

static int
malformed(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed row");
}

int
rowcodec_check(const uint8_t *row, size_t len, const Oid *types, int ncols, Err *err)
{
    size_t hlen, pos;

    if (len < 4 || rowcodec_ncols(row) != ncols || row[2] != ROWCODEC_VERSION ||
        (row[3] & ~ROW_WIDE) != 0)
        return malformed(err);
    hlen = header_len(ncols, (row[3] & ROW_WIDE) != 0);
    if (len < hlen || ((row[3] & ROW_WIDE) != 0) != (len > NARROW_MAX))
        return malformed(err);
    pos = hlen;
    for (int i = 0; i < ncols; i++) {
        uint32_t off = get_offset(row, ncols, i), vlen;
        int w;

        if (rowcodec_isnull(row, i)) {
            if (off != 0)
                return malformed(err);
            continue;
        }
        w = value_width(types[i]);
        if (w < 0)
            pos = pad_to(pos, VAR_ALIGN);
        if (off != pos)
            return malformed(err);
        if (w > 0) {
            pos += (size_t)w;
            if (pos > len)
                return malformed(err);
            continue;
        }
        if (pos + sizeof(VarData) + 1 > len)
            return malformed(err);
        memcpy(&vlen, row + pos, sizeof vlen);
        if (vlen > len - pos - sizeof(VarData) - 1 || row[pos + sizeof(VarData) + vlen] != 0)
            return malformed(err);
        pos += sizeof(VarData) + vlen + 1;
    }
    if (pos != len)
        return malformed(err);
    return 0;
}

/*
 * rowcodec_check() and rowcodec_get() of every column in one pass (the same checks, in the
 * same order: a row is rejected exactly when rowcodec_check rejects it).
 */
int
rowcodec_decode(const uint8_t *row, size_t len, const Oid *types, int ncols, Arena *a, Value *out,
                Err *err)
{
    size_t hlen, pos, ow;
    const uint8_t *offs;
    bool wide;

    if (len < 4 || rowcodec_ncols(row) != ncols || row[2] != ROWCODEC_VERSION ||
        (row[3] & ~ROW_WIDE) != 0)
        return malformed(err);
    wide = (row[3] & ROW_WIDE) != 0;
    hlen = header_len(ncols, wide);
    if (len < hlen || wide != (len > NARROW_MAX))
        return malformed(err);
    ow = wide ? 4 : 2;
    offs = row + hlen - ow * (size_t)ncols;
    pos = hlen;
    for (int i = 0; i < ncols; i++) {
        uint32_t off, vlen;
        int w;

        if (wide) {
            memcpy(&off, offs + 4 * (size_t)i, 4);
        } else {
            uint16_t o16;

            memcpy(&o16, offs + 2 * (size_t)i, 2);
            off = o16;
        }
        if (rowcodec_isnull(row, i)) {
            if (off != 0)
                return malformed(err);
            out[i] = (Value){0, true};
            continue;
        }
        w = value_width(types[i]);
        if (w < 0)
            pos = pad_to(pos, VAR_ALIGN);
        if (off != pos)
            return malformed(err);
        if (w > 0) {
            pos += (size_t)w;
            if (pos > len)
                return malformed(err);
        } else {
            if (pos + sizeof(VarData) + 1 > len)
                return malformed(err);
            memcpy(&vlen, row + pos, sizeof vlen);
            if (vlen > len - pos - sizeof(VarData) - 1 || row[pos + sizeof(VarData) + vlen] != 0)
                return malformed(err);
            pos += sizeof(VarData) + vlen + 1;
        }
        out[i] = (Value){value_at(row, off, w, types[i], a), false};
    }
    if (pos != len)
        return malformed(err);
    return 0;
}
