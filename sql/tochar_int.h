/*
 * sql/tochar_int.h — the format-string nodes shared by to_char for
 * date/time (sql/func_tochar.c), to_char for numbers (sql/func_tonumber.c)
 * and to_timestamp/to_date (sql/func_todate.c); private to those files.
 *
 * Invariants:
 *   1. A parsed format is an array of FmtNode ending with NODE_END, in the
 *      arena given to tochar_parse_format(); nodes never point into the
 *      format text except through `name` (a static keyword string).
 */
#ifndef RIVULET_SQL_TOCHAR_INT_H
#define RIVULET_SQL_TOCHAR_INT_H

#include <stdbool.h>

#include "common/arena.h"

enum { NODE_END, NODE_ACTION, NODE_CHAR, NODE_SEPARATOR, NODE_SPACE };

/* modifiers */
enum { SUF_FM = 1, SUF_TM = 2, SUF_TH = 4, SUF_th = 8, SUF_SP = 16 };

typedef struct FmtNode {
    int type;
    int key;          /* keyword id (NODE_ACTION) */
    int suffix;       /* SUF_* */
    const char *name; /* the keyword as matched ("YYYY", "dd") */
    char chr[8];      /* NODE_CHAR/SEPARATOR/SPACE: one UTF-8 character */
} FmtNode;

/* date/time keywords */
enum {
    K_A_D,
    K_A_M,
    K_AD,
    K_AM,
    K_B_C,
    K_BC,
    K_CC,
    K_DAY,
    K_DDD,
    K_DD,
    K_DY,
    K_Day,
    K_Dy,
    K_D,
    K_FF1,
    K_FF2,
    K_FF3,
    K_FF4,
    K_FF5,
    K_FF6,
    K_FX,
    K_HH24,
    K_HH12,
    K_HH,
    K_IDDD,
    K_ID,
    K_IW,
    K_IYYY,
    K_IYY,
    K_IY,
    K_I,
    K_J,
    K_MI,
    K_MM,
    K_MONTH,
    K_MON,
    K_MS,
    K_Month,
    K_Mon,
    K_OF,
    K_P_M,
    K_PM,
    K_Q,
    K_RM,
    K_SSSS,
    K_SS,
    K_TZH,
    K_TZM,
    K_TZ,
    K_US,
    K_WW,
    K_W,
    K_Y_YYY,
    K_YYYY,
    K_YYY,
    K_YY,
    K_Y,
    K_a_d,
    K_a_m,
    K_ad,
    K_am,
    K_b_c,
    K_bc,
    K_day,
    K_dy,
    K_month,
    K_mon,
    K_p_m,
    K_pm,
    K_rm,
    K_tz,
};

/* number keywords */
enum {
    N_COMMA,
    N_DEC,
    N_0,
    N_9,
    N_B,
    N_C,
    N_D,
    N_E,
    N_FM,
    N_G,
    N_L,
    N_MI,
    N_PL,
    N_PR,
    N_RN,
    N_SG,
    N_SP,
    N_S,
    N_TH,
    N_V,
    N_rn,
    N_th,
};

/*
 * Parses a format (PostgreSQL's parse_format): is_dch selects the date/time
 * keywords and the FM/TM/TH/SP modifiers, else the number keywords.
 */
FmtNode *tochar_parse_format(Arena *a, const char *s, bool is_dch);
/* An ASCII punctuation character other than '"' (a DCH separator). */
bool tochar_is_separator(const char *s);
/* Bytes in the UTF-8 character at s. */
int tochar_char_len(const char *s);
/* The ordinal suffix of a number's text ("1" → "st", "11" → "th"); "TH" style when upper. */
const char *tochar_ordinal(const char *num, bool upper);

#endif
