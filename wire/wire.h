/*
 * wire/wire.h — the PostgreSQL v3 frontend/backend protocol codec.
 *
 * Pure: bytes in, messages out, and messages in, bytes out. No sockets, no
 * threads, no global state, so every function here can be fuzzed and unit
 * tested without a server. server/ owns the connections and calls this.
 *
 * Both directions are covered: the backend side (decode what a client sends,
 * encode what the server answers) is what the server uses; the frontend side
 * (encode client messages, decode server messages) serves tests, benchmarks
 * and the fuzz harness.
 *
 * Framing
 *   Startup phase:   [int32 len incl. itself][int32 code][payload]
 *   Normal phase:    [byte type][int32 len incl. itself, excl. type][payload]
 * wire_frame_*() look at the bytes buffered so far and say whether a whole
 * frame is there, how long it is, or that the header is invalid. They check
 * the length against a ceiling *before* the caller allocates anything.
 *
 * Ownership: decoded messages point into the frame bytes the caller passed
 * (strings, parameter values) or into the arena the caller passed (arrays that
 * need byte-swapping). Keep the frame alive as long as the decoded message.
 *
 * Invariants:
 *   1. A decoder never reads outside [body, body + len): every string must be
 *      NUL-terminated inside the body, every count and length is checked
 *      against the bytes that remain before it is used.
 *   2. A decoder that fails fills err with 08P01 (protocol violation) and a
 *      message naming the message type, and allocates nothing unbounded:
 *      allocations are proportional to len, which framing capped. The one
 *      exception to 08P01 is PostgreSQL's: a format code other than 0/1 in
 *      Bind or FunctionCall is ERROR 22023 "unsupported format code: %d".
 *      Levels: framing, startup packets and unknown message types are FATAL
 *      (the stream cannot be trusted any more); a malformed body of a known
 *      regular message is ERROR (framing is intact, the session can go on).
 *      On failure *out is unspecified.
 *   3. Encoders append a complete message (type, length, payload) to a Buf;
 *      a Buf that passes its ceiling is marked failed and the caller checks it.
 *      A message that cannot be encoded (a count < 0 or > WIRE_MAX_FIELDS, a
 *      value length < -1) also marks the Buf failed.
 */
#ifndef RIVULET_WIRE_WIRE_H
#define RIVULET_WIRE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"

/* Startup codes (the int32 after the length in the first packet). */
#define WIRE_PROTOCOL_3_0 196608u /* 3 << 16 */
#define WIRE_CANCEL_REQUEST_CODE 80877102u
#define WIRE_SSL_REQUEST_CODE 80877103u
#define WIRE_GSSENC_REQUEST_CODE 80877104u

/* A startup packet may not exceed this (PostgreSQL's MAX_STARTUP_PACKET_LENGTH). */
#define WIRE_MAX_STARTUP_LEN 10000u
/* Default ceiling on a regular message; server's --max-message-size overrides. */
#define WIRE_DEFAULT_MAX_MESSAGE_LEN (64u * 1024u * 1024u)
/*
 * Largest number of parameters/columns a message can carry. The protocol calls
 * the count an Int16, but PostgreSQL reads and libpq writes it as unsigned, so
 * 0..65535 are all valid and no count is ever "negative".
 */
#define WIRE_MAX_FIELDS 65535

/* ---- Framing ---------------------------------------------------------- */

/*
 * Startup framing. Returns 1 when a whole packet of *frame_len bytes (length
 * word included) is in p[0..avail), 0 when more bytes are needed, -1 with err
 * set (FATAL 08P01 "invalid length of startup packet") when the length word is
 * below 8 or above WIRE_MAX_STARTUP_LEN.
 */
int wire_frame_startup(const uint8_t *p, size_t avail, size_t *frame_len, Err *err);

/*
 * Regular framing. Returns 1 when a whole message is present: *type is the
 * type byte, *frame_len the total bytes (1 + length word). 0 when more bytes
 * are needed. -1 with err set (FATAL 08P01) when the length word is below 4
 * or the message would exceed max_len bytes.
 */
int wire_frame_message(const uint8_t *p, size_t avail, size_t max_len, char *type,
                       size_t *frame_len, Err *err);

/* ---- Frontend messages (what clients send) ------------------------------ */

typedef enum WireStartupKind {
    WIRE_STARTUP_NORMAL,
    WIRE_STARTUP_SSL,
    WIRE_STARTUP_GSSENC,
    WIRE_STARTUP_CANCEL,
} WireStartupKind;

typedef struct WireStartup {
    WireStartupKind kind;
    uint32_t protocol;   /* NORMAL: the requested version, e.g. 196608 */
    int nparams;         /* NORMAL: name/value pairs (user, database, options...) */
    const char **names;  /* arena-allocated array of pointers into the packet */
    const char **values;
    int32_t cancel_pid;  /* CANCEL */
    int32_t cancel_key;  /* CANCEL */
} WireStartup;

/*
 * Decodes one whole startup packet (as framed by wire_frame_startup). An
 * unsupported protocol version is *not* an error here: the caller sees
 * kind == NORMAL with protocol != WIRE_PROTOCOL_3_0 and answers 0A000 itself.
 */
int wire_decode_startup(const uint8_t *frame, size_t frame_len, Arena *a, WireStartup *out,
                        Err *err);

/* Message type bytes a frontend sends. */
#define WIRE_MSG_QUERY 'Q'
#define WIRE_MSG_PARSE 'P'
#define WIRE_MSG_BIND 'B'
#define WIRE_MSG_DESCRIBE 'D'
#define WIRE_MSG_EXECUTE 'E'
#define WIRE_MSG_SYNC 'S'
#define WIRE_MSG_FLUSH 'H'
#define WIRE_MSG_CLOSE 'C'
#define WIRE_MSG_TERMINATE 'X'
#define WIRE_MSG_COPY_DATA 'd'
#define WIRE_MSG_COPY_DONE 'c'
#define WIRE_MSG_COPY_FAIL 'f'
#define WIRE_MSG_PASSWORD 'p' /* also SASLInitialResponse / SASLResponse */
#define WIRE_MSG_FUNCTION_CALL 'F'

typedef struct WireQuery {
    const char *sql;
} WireQuery;

typedef struct WireParse {
    const char *stmt_name; /* "" = unnamed */
    const char *query;
    int nparam_types;
    uint32_t *param_types; /* OIDs; 0 = let the server infer */
} WireParse;

typedef struct WireParamValue {
    int32_t len; /* -1 = NULL */
    const uint8_t *data;
} WireParamValue;

typedef struct WireBind {
    const char *portal_name;
    const char *stmt_name;
    int nparam_formats; /* 0 = all text, 1 = one for all, n = one each */
    int16_t *param_formats;
    int nparams;
    WireParamValue *params;
    int nresult_formats; /* same rule as nparam_formats */
    int16_t *result_formats;
} WireBind;

typedef struct WireDescribe {
    char what; /* 'S' statement or 'P' portal */
    const char *name;
} WireDescribe;

typedef struct WireExecute {
    const char *portal_name;
    int32_t max_rows; /* 0 = no limit */
} WireExecute;

typedef struct WireClose {
    char what; /* 'S' or 'P' */
    const char *name;
} WireClose;

typedef struct WireBytes {
    const uint8_t *data;
    size_t len;
} WireBytes;

typedef struct WireCopyFail {
    const char *message;
} WireCopyFail;

/* FunctionCall ('F'); the format rules are Bind's. */
typedef struct WireFunctionCall {
    uint32_t function_oid;
    int narg_formats;
    int16_t *arg_formats;
    int nargs;
    WireParamValue *args;
    int16_t result_format;
} WireFunctionCall;

typedef struct WireMsg {
    char type; /* one of WIRE_MSG_* */
    union {
        WireQuery query;
        WireParse parse;
        WireBind bind;
        WireDescribe describe;
        WireExecute execute;
        WireClose close;
        WireBytes copy_data;
        WireCopyFail copy_fail;
        WireBytes password; /* raw body: the server interprets it by auth state */
        WireFunctionCall function_call;
    } u;
} WireMsg;

/*
 * Decodes the body of a regular frontend message (the frame minus its 5-byte
 * header). Unknown type bytes fail with 08P01 "invalid frontend message type %d".
 * Sync, Flush, Terminate and CopyDone must have empty bodies.
 * Execute: a negative max_rows means "no limit" (as in PostgreSQL) and is
 * returned as 0. Bind: besides the format codes, the parameter formats count
 * must be 0, 1 or nparams (PostgreSQL's "bind message has %d parameter formats
 * but %d parameters"); the result formats count is the server's to check.
 */
int wire_decode_message(char type, const uint8_t *body, size_t len, Arena *a, WireMsg *out,
                        Err *err);

/*
 * The password message body, interpreted by the server's auth state (all
 * FATAL 08P01 on failure, as authentication errors end the session):
 *   PasswordMessage (cleartext or MD5): one string filling the body exactly.
 *   SASLInitialResponse: mechanism string, int32 length (-1 = no initial
 *   response: data->data == NULL), that many bytes, nothing after.
 *   SASLResponse: the raw body (use WireMsg.u.password as is).
 */
int wire_decode_password(const uint8_t *body, size_t len, const char **password, Err *err);
int wire_decode_sasl_initial(const uint8_t *body, size_t len, const char **mechanism,
                             WireBytes *data, Err *err);

/* "Query", "Bind", ... for a frontend type byte; NULL if unknown. */
const char *wire_frontend_message_name(char type);

/* ---- Backend messages (what the server sends) --------------------------- */

#define WIRE_FORMAT_TEXT 0
#define WIRE_FORMAT_BINARY 1

typedef struct WireField {
    const char *name;
    uint32_t table_oid;
    int16_t column_attnum;
    uint32_t type_oid;
    int16_t type_len; /* -1 varlena, -2 cstring */
    int32_t type_mod; /* -1 none */
    int16_t format;   /* WIRE_FORMAT_* */
} WireField;

void wire_put_auth_ok(Buf *b);
void wire_put_auth_cleartext(Buf *b);
void wire_put_auth_md5(Buf *b, const uint8_t salt[4]);
void wire_put_auth_sasl(Buf *b, const char *const *mechanisms, int n);
void wire_put_auth_sasl_continue(Buf *b, const uint8_t *data, size_t len);
void wire_put_auth_sasl_final(Buf *b, const uint8_t *data, size_t len);
void wire_put_parameter_status(Buf *b, const char *name, const char *value);
void wire_put_backend_key_data(Buf *b, int32_t pid, int32_t key);
/* status: 'I' idle, 'T' in a transaction block, 'E' in a failed block. */
void wire_put_ready_for_query(Buf *b, char status);
void wire_put_row_description(Buf *b, int nfields, const WireField *fields);
void wire_put_parameter_description(Buf *b, int nparams, const uint32_t *type_oids);
void wire_put_command_complete(Buf *b, const char *tag);
void wire_put_empty_query_response(Buf *b);
void wire_put_parse_complete(Buf *b);
void wire_put_bind_complete(Buf *b);
void wire_put_close_complete(Buf *b);
void wire_put_no_data(Buf *b);
void wire_put_portal_suspended(Buf *b);
/* ErrorResponse for err->level >= ERR_ERROR, with S, V, C, M, D, H, P, W fields. */
void wire_put_error(Buf *b, const Err *err);
/* NoticeResponse (err->level NOTICE or WARNING). */
void wire_put_notice(Buf *b, const Err *err);
/* COPY: overall format 0 text / 1 binary, per-column formats. */
void wire_put_copy_in_response(Buf *b, int8_t format, int ncols, const int16_t *col_formats);
void wire_put_copy_out_response(Buf *b, int8_t format, int ncols, const int16_t *col_formats);
void wire_put_copy_data(Buf *b, const uint8_t *data, size_t len);
void wire_put_copy_done(Buf *b);
void wire_put_notification(Buf *b, int32_t pid, const char *channel, const char *payload);
/*
 * NegotiateProtocolVersion: the newest protocol (full code, e.g.
 * WIRE_PROTOCOL_3_0, as PostgreSQL sends it) for a client that asked for 3.x
 * with x > 0, and the "_pq_." startup options the server does not know. A 3.x
 * request is not an error in PostgreSQL: the server answers this and goes on.
 */
void wire_put_negotiate_protocol_version(Buf *b, uint32_t newest_protocol, int noptions,
                                         const char *const *options);

/*
 * DataRow is built field by field so values can be written straight into the
 * output buffer without an intermediate copy:
 *
 *     size_t row = wire_datarow_begin(b, ncols);
 *     for each column:
 *         if null: wire_datarow_null(b);
 *         else { size_t f = wire_datarow_field_begin(b);
 *                append the value's bytes to b;
 *                wire_datarow_field_end(b, f); }
 *     wire_datarow_end(b, row);
 */
size_t wire_datarow_begin(Buf *b, int ncols);
void wire_datarow_null(Buf *b);
size_t wire_datarow_field_begin(Buf *b);
void wire_datarow_field_end(Buf *b, size_t field_mark);
void wire_datarow_end(Buf *b, size_t row_mark);

/*
 * Generic helpers for a message whose payload the caller writes:
 *   size_t m = wire_msg_begin(b, 'T'); ...payload...; wire_msg_end(b, m);
 */
size_t wire_msg_begin(Buf *b, char type);
void wire_msg_end(Buf *b, size_t mark);

/* ---- Frontend side: encoding client messages (tests, benches, fuzzing) -- */

void wire_put_startup(Buf *b, uint32_t protocol, int nparams, const char *const *names,
                      const char *const *values);
void wire_put_ssl_request(Buf *b);
void wire_put_gssenc_request(Buf *b);
void wire_put_cancel_request(Buf *b, int32_t pid, int32_t key);
void wire_put_query(Buf *b, const char *sql);
void wire_put_parse(Buf *b, const char *stmt_name, const char *query, int nparam_types,
                    const uint32_t *param_types);
void wire_put_bind(Buf *b, const WireBind *bind);
void wire_put_describe(Buf *b, char what, const char *name);
void wire_put_execute(Buf *b, const char *portal_name, int32_t max_rows);
void wire_put_close(Buf *b, char what, const char *name);
void wire_put_sync(Buf *b);
void wire_put_flush(Buf *b);
void wire_put_terminate(Buf *b);
void wire_put_copy_fail(Buf *b, const char *message);
void wire_put_password(Buf *b, const uint8_t *data, size_t len);
/* SASLInitialResponse ('p'); data NULL sends length -1 (no initial response). */
void wire_put_sasl_initial_response(Buf *b, const char *mechanism, const uint8_t *data,
                                    size_t len);
void wire_put_function_call(Buf *b, const WireFunctionCall *call);

/* ---- Frontend side: decoding server messages ---------------------------- */

typedef struct WireBackendMsg {
    /* 'R','S','K','Z','T','D','C','I','1','2','3','n','s','t','E','N','G','H','d','c','A','v' */
    char type;
    union {
        struct { int32_t code; WireBytes data; } auth;            /* 'R' */
        struct { const char *name, *value; } parameter_status;    /* 'S' */
        struct { int32_t pid, key; } backend_key;                 /* 'K' */
        char ready_status;                                         /* 'Z' */
        struct { int nfields; WireField *fields; } row_description; /* 'T' */
        struct { int ncols; WireParamValue *cols; } data_row;     /* 'D' */
        const char *command_tag;                                    /* 'C' */
        struct { int nparams; uint32_t *type_oids; } parameter_description; /* 't' */
        Err error;                                                  /* 'E', 'N' */
        struct { int8_t format; int ncols; int16_t *col_formats; } copy_response; /* 'G','H' */
        WireBytes copy_data;                                        /* 'd' */
        struct { int32_t pid; const char *channel, *payload; } notification; /* 'A' */
        /* 'v' */
        struct { uint32_t newest_protocol; int noptions; const char **options; } negotiate;
    } u;
} WireBackendMsg;

/*
 * Decodes the body of a backend message; same rules as wire_decode_message
 * (all failures are ERROR 08P01, unknown types included). ErrorResponse and
 * NoticeResponse need S, C (five characters 0-9/A-Z) and M; the level comes
 * from V (else S): 'E' gives ERROR, FATAL or PANIC, 'N' WARNING or NOTICE;
 * fields other than S V C M D H P W are skipped; text longer than the Err
 * buffers is truncated.
 */
int wire_decode_backend(char type, const uint8_t *body, size_t len, Arena *a, WireBackendMsg *out,
                        Err *err);

/* "RowDescription", ... for a backend type byte; NULL if unknown. */
const char *wire_backend_message_name(char type);

#endif
