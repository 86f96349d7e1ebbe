/*
 * server/config.c — the server's settings: defaults, the --config file and
 * the command-line flags, in that order of precedence (flags win).
 *
 * Every setting has one name used three ways: the flag (--max-connections),
 * the file (max_connections = 20, postgresql.conf syntax: "name = value" or
 * "name value", a value bare or in single quotes with '' for a quote, # starts
 * a comment) and the help text. The table `options` is the single list.
 *
 * Invariants:
 *   1. A bad flag or file line is reported before anything starts: the
 *      message names the flag, or the file and line, and says what is wrong.
 *   2. Numbers are parsed with strtoll over the whole text and range-checked;
 *      "12abc", "" and overflow are errors, never truncated.
 *   3. The file is applied before the flags, whatever the flags' order, so a
 *      flag always overrides the file.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/version.h"
#include "server/server_int.h"

#define WHY_MAX 256

typedef int (*ApplyFn)(ServerConfig *cfg, const char *value, char *why);

typedef struct Option {
    const char *flag; /* without "--"; the file name is this with '_' for '-' */
    ApplyFn apply;
} Option;

static int apply_data_dir(ServerConfig *cfg, const char *value, char *why);
static int apply_listen(ServerConfig *cfg, const char *value, char *why);
static int apply_port(ServerConfig *cfg, const char *value, char *why);
static int apply_max_connections(ServerConfig *cfg, const char *value, char *why);
static int apply_log_level(ServerConfig *cfg, const char *value, char *why);
static int apply_max_message_size(ServerConfig *cfg, const char *value, char *why);
static int apply_startup_timeout(ServerConfig *cfg, const char *value, char *why);
static int apply_checkpoint_interval(ServerConfig *cfg, const char *value, char *why);
static int apply_log_compression_level(ServerConfig *cfg, const char *value, char *why);
static int apply_state_map_size(ServerConfig *cfg, const char *value, char *why);
static int apply_state_cache_budget(ServerConfig *cfg, const char *value, char *why);
static int apply_log_retention(ServerConfig *cfg, const char *value, char *why);

static const Option options[] = {
    {"data-dir", apply_data_dir},
    {"listen", apply_listen},
    {"port", apply_port},
    {"max-connections", apply_max_connections},
    {"log-level", apply_log_level},
    {"max-message-size", apply_max_message_size},
    {"startup-timeout", apply_startup_timeout},
    {"checkpoint-interval", apply_checkpoint_interval},
    {"log-compression-level", apply_log_compression_level},
    {"state-map-size", apply_state_map_size},
    {"state-cache-budget", apply_state_cache_budget},
    {"log-retention", apply_log_retention},
};
#define NOPTIONS (sizeof options / sizeof options[0])

void
config_print_help(void)
{
    printf("rivulet %s — a streaming SQL database server speaking the PostgreSQL protocol\n"
           "\n"
           "Usage:\n"
           "  rivulet [OPTION]...\n"
           "\n"
           "Options:\n"
           "  --data-dir DIR            data directory, created if missing; a lock file in it\n"
           "                            keeps a second server out (default %s)\n"
           "  --listen ADDR             address(es) to listen on, comma-separated; \"*\" for all\n"
           "                            (default %s)\n"
           "  --port N                  TCP port; 0 picks a free one (default %d)\n"
           "  --max-connections N       most sessions at once; beyond it a client gets FATAL\n"
           "                            53300 \"sorry, too many clients already\" (default %d)\n"
           "  --log-level LEVEL         debug, info, warning or error (default info)\n"
           "  --config FILE             read settings from FILE: \"name = value\" lines and #\n"
           "                            comments, names as the flags with _ for -\n"
           "                            (max_connections = 20); flags override the file\n"
           "  --max-message-size BYTES  largest message a client may send; units kB, MB, GB\n"
           "                            (default 64MB, at most 1GB)\n"
           "  --startup-timeout SECONDS time from connect to authenticated, 1 to 600\n"
           "                            (default %d)\n"
           "  --checkpoint-interval T   how often acknowledged writes to tables with a PRIMARY\n"
           "                            KEY are applied in one epoch: ms (default), s; 10ms to\n"
           "                            1h (default 1s); ALTER SYSTEM SET checkpoint_interval\n"
           "                            changes it while running\n"
           "  --log-compression-level N zstd level of the table and source logs, 1 (fastest)\n"
           "                            to 19 (smallest) (default 1)\n"
           "  --state-map-size SIZE     initial LMDB map size of the state store; units kB,\n"
           "                            MB, GB, TB; it grows by itself when full (default 8GB,\n"
           "                            1MB to 16TB)\n"
           "  --state-cache-budget SIZE memory each state table of a materialized view's\n"
           "                            operators may cache (kB, MB, GB; default 64MB,\n"
           "                            64kB to 1TB); the rest stays in LMDB\n"
           "  --log-retention LIMITS    how much of the logs of sources and primary-key\n"
           "                            tables to keep: \"all\" (default), a size (kB, MB,\n"
           "                            GB, TB) and/or an age (s, min, h, d), comma-separated\n"
           "                            (\"10GB\", \"7d\", \"10GB,7d\"); whole segments go once\n"
           "                            applied and read by every view; plain tables keep\n"
           "                            their logs (they are their contents)\n"
           "  --version                 print the version and exit\n"
           "  --help                    print this help and exit\n"
           "\n"
           "Logs go to stderr. SIGTERM or SIGINT shuts down cleanly: every session gets\n"
           "FATAL 57P01 and is closed, the lock file is removed; a second signal exits at once.\n"
           "\n"
           "Exit status:\n"
           "  %d  clean shutdown (and --help, --version)\n"
           "  %d  could not start: data directory, lock file or listen address\n"
           "  %d  bad command line or configuration file\n"
           "  %d  a second signal ended the shutdown at once\n"
           "\n"
           "Connect with: psql -h 127.0.0.1 -p %d -U postgres\n",
           RIVULET_VERSION, SERVER_DEFAULT_DATA_DIR, SERVER_DEFAULT_LISTEN, SERVER_DEFAULT_PORT,
           SERVER_DEFAULT_MAX_CONNECTIONS, SERVER_DEFAULT_STARTUP_TIMEOUT, SERVER_EXIT_OK,
           SERVER_EXIT_START, SERVER_EXIT_USAGE, SERVER_EXIT_IMMEDIATE, SERVER_DEFAULT_PORT);
}

/* ---- Value parsers ---------------------------------------------------------- */

/* Whole-string decimal integer; false on junk, empty text or overflow. */
static bool
parse_int64(const char *s, long long *out, const char **rest)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    if (*s == '\0')
        return false;
    errno = 0;
    *out = strtoll(s, &end, 10);
    if (errno != 0 || end == s)
        return false;
    while (isspace((unsigned char)*end))
        end++;
    if (rest != NULL)
        *rest = end;
    else if (*end != '\0')
        return false;
    return true;
}

static int
int_in_range(const char *value, long long lo, long long hi, int *out, char *why)
{
    long long v;

    if (!parse_int64(value, &v, NULL) || v < lo || v > hi) {
        snprintf(why, WHY_MAX, "must be an integer from %lld to %lld", lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int
copy_string(char *dst, const char *value, char *why)
{
    size_t n = strlen(value);

    if (n == 0) {
        snprintf(why, WHY_MAX, "must not be empty");
        return -1;
    }
    if (n >= CONFIG_STR_MAX) {
        snprintf(why, WHY_MAX, "is longer than %d bytes", CONFIG_STR_MAX - 1);
        return -1;
    }
    memcpy(dst, value, n + 1);
    return 0;
}

static int
apply_data_dir(ServerConfig *cfg, const char *value, char *why)
{
    return copy_string(cfg->data_dir, value, why);
}

static int
apply_listen(ServerConfig *cfg, const char *value, char *why)
{
    return copy_string(cfg->listen, value, why);
}

static int
apply_port(ServerConfig *cfg, const char *value, char *why)
{
    return int_in_range(value, 0, 65535, &cfg->port, why);
}

static int
apply_max_connections(ServerConfig *cfg, const char *value, char *why)
{
    return int_in_range(value, 1, 100000, &cfg->max_connections, why);
}

static int
apply_log_level(ServerConfig *cfg, const char *value, char *why)
{
    if (logger_parse_level(value, &cfg->log_level) < 0) {
        snprintf(why, WHY_MAX, "must be debug, info, warning or error");
        return -1;
    }
    return 0;
}

/* A byte count with an optional unit (B, kB, MB, GB, TB; KiB ... TiB), lo..hi bytes. */
static bool
size_in_range(const char *value, long long lo, long long hi, size_t *out)
{
    static const struct {
        const char *unit;
        long long mult;
    } units[] = {{"", 1},          {"B", 1},          {"kB", 1024},      {"KiB", 1024},
                 {"MB", 1 << 20},  {"MiB", 1 << 20},  {"GB", 1LL << 30}, {"GiB", 1LL << 30},
                 {"TB", 1LL << 40}, {"TiB", 1LL << 40}};
    const char *rest;
    long long v;

    if (!parse_int64(value, &v, &rest) || v < 0)
        return false;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(rest, units[i].unit) != 0)
            continue;
        if (v > hi / units[i].mult || v * units[i].mult < lo)
            return false;
        *out = (size_t)(v * units[i].mult);
        return true;
    }
    return false;
}

static int
apply_max_message_size(ServerConfig *cfg, const char *value, char *why)
{
    if (size_in_range(value, 1024, 1LL << 30, &cfg->max_message_size))
        return 0;
    snprintf(why, WHY_MAX, "must be a size from 1kB to 1GB (bytes, or with a unit kB, MB, GB)");
    return -1;
}

static int
apply_startup_timeout(ServerConfig *cfg, const char *value, char *why)
{
    const char *rest;
    long long v, mult = 0;

    if (parse_int64(value, &v, &rest)) {
        if (*rest == '\0' || strcmp(rest, "s") == 0)
            mult = 1;
        else if (strcmp(rest, "min") == 0)
            mult = 60;
    }
    if (mult == 0 || v < 1 || v > 600 / mult) {
        snprintf(why, WHY_MAX, "must be a number of seconds from 1 to 600");
        return -1;
    }
    cfg->startup_timeout = (int)(v * mult);
    return 0;
}

static int
apply_checkpoint_interval(ServerConfig *cfg, const char *value, char *why)
{
    const char *rest;
    long long v, mult = 0;

    if (parse_int64(value, &v, &rest)) {
        if (*rest == '\0' || strcmp(rest, "ms") == 0)
            mult = 1;
        else if (strcmp(rest, "s") == 0)
            mult = 1000;
    }
    if (mult == 0 || v < 1 || v * mult < 10 || v > 3600000 / mult) {
        snprintf(why, WHY_MAX, "must be a time from 10ms to 1h (ms, or with a unit ms, s)");
        return -1;
    }
    cfg->checkpoint_interval_ms = (unsigned)(v * mult);
    return 0;
}

static int
apply_log_compression_level(ServerConfig *cfg, const char *value, char *why)
{
    return int_in_range(value, 1, 19, &cfg->log_compression_level, why);
}

static int
apply_state_cache_budget(ServerConfig *cfg, const char *value, char *why)
{
    if (size_in_range(value, 64LL << 10, 1LL << 40, &cfg->state_cache_budget))
        return 0;
    snprintf(why, WHY_MAX,
             "must be a size from 64kB to 1TB (bytes, or with a unit kB, MB, GB, TB)");
    return -1;
}

static int
apply_state_map_size(ServerConfig *cfg, const char *value, char *why)
{
    if (size_in_range(value, 1LL << 20, 16LL << 40, &cfg->state_map_size))
        return 0;
    snprintf(why, WHY_MAX,
             "must be a size from 1MB to 16TB (bytes, or with a unit kB, MB, GB, TB)");
    return -1;
}

static int
apply_log_retention(ServerConfig *cfg, const char *value, char *why)
{
    static const struct {
        const char *unit;
        long long us;
    } ages[] = {{"s", 1000000LL}, {"min", 60000000LL}, {"h", 3600000000LL}, {"d", 86400000000LL}};
    char buf[128];
    size_t bytes = 0;
    long long age = 0;

    snprintf(why, WHY_MAX,
             "must be \"all\", or a size (kB, MB, GB, TB) and/or an age (s, min, h, d), "
             "comma-separated, such as \"10GB,7d\"");
    if (strcmp(value, "all") == 0) {
        cfg->log_retention_bytes = 0;
        cfg->log_retention_us = 0;
        return 0;
    }
    if (strlen(value) >= sizeof buf)
        return -1;
    snprintf(buf, sizeof buf, "%s", value);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        const char *rest;
        long long v;
        bool is_age = false;

        while (*tok == ' ')
            tok++;
        if (parse_int64(tok, &v, &rest) && v > 0) {
            for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++) {
                if (strcmp(rest, ages[i].unit) == 0 && v <= INT64_MAX / ages[i].us) {
                    if (age != 0)
                        return -1;
                    age = v * ages[i].us;
                    is_age = true;
                }
            }
        }
        if (is_age)
            continue;
        if (bytes != 0 || !size_in_range(tok, 1LL << 20, 1LL << 50, &bytes))
            return -1;
    }
    if (bytes == 0 && age == 0)
        return -1;
    cfg->log_retention_bytes = bytes;
    cfg->log_retention_us = age;
    why[0] = '\0';
    return 0;
}

/* ---- Names ---------------------------------------------------------------- */

/* The option whose flag is `name` (the file spells '-' as '_'); NULL if none. */
static const Option *
find_option(const char *name, bool from_file)
{
    char want[64];
    size_t n = strlen(name);

    if (n >= sizeof want)
        return NULL;
    for (size_t k = 0; k <= n; k++) {
        char c = name[k];

        if (from_file) {
            if (c == '-')
                return NULL; /* the file spells names with '_' only */
            c = c == '_' ? '-' : (char)tolower((unsigned char)c);
        }
        want[k] = c;
    }
    for (size_t i = 0; i < NOPTIONS; i++)
        if (strcmp(want, options[i].flag) == 0)
            return &options[i];
    return NULL;
}

/* ---- The configuration file -------------------------------------------------- */

static const char *
skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

/*
 * Splits one line into name and value (written into the caller's buffers).
 * Returns 1 for a setting, 0 for a blank or comment line, -1 on bad syntax.
 */
static int
split_line(const char *line, char *name, size_t name_cap, char *value, size_t value_cap)
{
    const char *p = skip_space(line);
    size_t n = 0;

    if (*p == '\0' || *p == '#')
        return 0;
    while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.') {
        if (n + 1 >= name_cap)
            return -1;
        name[n++] = *p++;
    }
    name[n] = '\0';
    if (n == 0)
        return -1;
    p = skip_space(p);
    if (*p == '=')
        p = skip_space(p + 1);
    n = 0;
    if (*p == '\'') {
        for (p++;; p++) {
            if (*p == '\0')
                return -1; /* unterminated quote */
            if (*p == '\'' && p[1] != '\'')
                break;
            if (*p == '\'')
                p++;
            if (n + 1 >= value_cap)
                return -1;
            value[n++] = *p;
        }
        p++;
    } else {
        while (*p != '\0' && *p != '#' && !isspace((unsigned char)*p)) {
            if (n + 1 >= value_cap)
                return -1;
            value[n++] = *p++;
        }
        if (n == 0)
            return -1; /* no value */
    }
    value[n] = '\0';
    p = skip_space(p);
    return *p == '\0' || *p == '#' ? 1 : -1;
}

static int
load_file(const char *path, ServerConfig *cfg)
{
    char name[128], value[CONFIG_STR_MAX], why[WHY_MAX];
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, rc = 0;
    FILE *f = fopen(path, "r");

    if (f == NULL) {
        fprintf(stderr, "rivulet: could not open configuration file \"%s\": %s\n", path,
                strerror(errno));
        return -1;
    }
    while (rc == 0 && getline(&line, &cap, f) >= 0) {
        const Option *opt;
        int r = split_line(line, name, sizeof name, value, sizeof value);

        lineno++;
        if (r == 0)
            continue;
        if (r < 0) {
            fprintf(stderr, "rivulet: %s:%d: syntax error (expected \"name = value\")\n", path,
                    lineno);
            rc = -1;
        } else if ((opt = find_option(name, true)) == NULL) {
            fprintf(stderr, "rivulet: %s:%d: unrecognized configuration parameter \"%s\"%s\n", path,
                    lineno, name, strchr(name, '-') != NULL ? " (names use \"_\", not \"-\")" : "");
            rc = -1;
        } else if (opt->apply(cfg, value, why) < 0) {
            fprintf(stderr, "rivulet: %s:%d: invalid value for parameter \"%s\": \"%s\" (%s)\n",
                    path, lineno, name, value, why);
            rc = -1;
        }
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "rivulet: could not read configuration file \"%s\"\n", path);
        rc = -1;
    }
    free(line);
    fclose(f);
    return rc;
}

/* ---- The command line ------------------------------------------------------------ */

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("rivulet: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry \"rivulet --help\" for more information.\n", stderr);
}

static void
set_defaults(ServerConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    memcpy(cfg->data_dir, SERVER_DEFAULT_DATA_DIR, sizeof SERVER_DEFAULT_DATA_DIR);
    memcpy(cfg->listen, SERVER_DEFAULT_LISTEN, sizeof SERVER_DEFAULT_LISTEN);
    cfg->port = SERVER_DEFAULT_PORT;
    cfg->max_connections = SERVER_DEFAULT_MAX_CONNECTIONS;
    cfg->log_level = LOG_LEVEL_INFO;
    cfg->max_message_size = WIRE_DEFAULT_MAX_MESSAGE_LEN;
    cfg->startup_timeout = SERVER_DEFAULT_STARTUP_TIMEOUT;
}

/*
 * Splits argv[*i] into a flag name and its value ("--port=5" or "--port 5").
 * Returns 0, or -1 (reported) when the value is missing.
 */
static int
take_flag(int argc, char **argv, int *i, char *name, size_t cap, const char **value)
{
    const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
    size_t n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);

    if (n >= cap)
        n = cap - 1;
    memcpy(name, arg, n);
    name[n] = '\0';
    if (eq != NULL) {
        *value = eq + 1;
        return 0;
    }
    if (*i + 1 >= argc) {
        usage_error("option \"--%s\" requires a value", name);
        return -1;
    }
    *value = argv[++*i];
    return 0;
}

/* True when arg (after "--", maybe with "=value") names a flag. */
static bool
known_flag(const char *arg)
{
    char name[64];
    size_t n = strcspn(arg, "=");

    if (n >= sizeof name)
        return false;
    memcpy(name, arg, n);
    name[n] = '\0';
    return strcmp(name, "config") == 0 || find_option(name, false) != NULL;
}

/* Walks argv once: --help/--version, the --config path, and every flag's validity. */
static int
scan_args(int argc, char **argv, const char **config, ConfigAction *action)
{
    char name[64];
    const char *value;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-?") == 0) {
            *action = CONFIG_HELP;
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            *action = CONFIG_VERSION;
            return 0;
        }
        if (strncmp(argv[i], "--", 2) != 0) {
            usage_error(argv[i][0] == '-' ? "unrecognized option \"%s\""
                                          : "unexpected argument \"%s\"",
                        argv[i]);
            return -1;
        }
        if (!known_flag(argv[i] + 2)) {
            usage_error("unrecognized option \"%s\"", argv[i]);
            return -1;
        }
        if (take_flag(argc, argv, &i, name, sizeof name, &value) < 0)
            return -1;
        if (strcmp(name, "config") == 0)
            *config = value;
    }
    return 0;
}

int
config_load(int argc, char **argv, ServerConfig *cfg, ConfigAction *action)
{
    const char *config = NULL, *value;
    char name[64], why[WHY_MAX];

    set_defaults(cfg);
    *action = CONFIG_RUN;
    if (scan_args(argc, argv, &config, action) < 0)
        return -1;
    if (*action != CONFIG_RUN)
        return 0;
    if (config != NULL && load_file(config, cfg) < 0)
        return -1;
    for (int i = 1; i < argc; i++) {
        const Option *opt;

        if (take_flag(argc, argv, &i, name, sizeof name, &value) < 0)
            return -1;
        opt = find_option(name, false);
        if (opt == NULL)
            continue; /* --config, already read */
        if (opt->apply(cfg, value, why) < 0) {
            fprintf(stderr, "rivulet: invalid value for \"--%s\": \"%s\" (%s)\n", name, value, why);
            fputs("Try \"rivulet --help\" for more information.\n", stderr);
            return -1;
        }
    }
    return 0;
}
