/*
 * tests/unit/server/test_config.c — Check suite for server/config.c: flag
 * parsing, the configuration file, precedence, and rejection of bad input.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/server_int.h"

/* config_load with a NULL-terminated list of arguments after argv[0]. */
static int
load(ServerConfig *cfg, ConfigAction *action, const char *const *args)
{
    char *argv[32];
    int argc = 0;

    argv[argc++] = (char *)"rivulet";
    for (; *args != NULL && argc < 31; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    return config_load(argc, argv, cfg, action);
}

/* Writes text to a fresh temporary file; the caller unlinks path. */
static void
write_file(char *path, const char *text)
{
    int fd;
    FILE *f;

    snprintf(path, 64, "/tmp/rivulet-test-config-XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(test_defaults)
{
    ServerConfig cfg;
    ConfigAction action;
    const char *args[] = {NULL};

    ck_assert_int_eq(load(&cfg, &action, args), 0);
    ck_assert_int_eq(action, CONFIG_RUN);
    ck_assert_str_eq(cfg.data_dir, "./rivulet-data");
    ck_assert_str_eq(cfg.listen, "127.0.0.1");
    ck_assert_int_eq(cfg.port, 6543);
    ck_assert_int_eq(cfg.max_connections, 100);
    ck_assert_int_eq(cfg.log_level, LOG_LEVEL_INFO);
    ck_assert_uint_eq(cfg.max_message_size, 64u * 1024 * 1024);
    ck_assert_int_eq(cfg.startup_timeout, 60);
    ck_assert_int_eq(cfg.log_compression_level, 0); /* 0: the log's default (zstd level 1) */
    ck_assert_uint_eq(cfg.state_map_size, 0);       /* 0: the state store's default (8 GiB) */
}
END_TEST

START_TEST(test_flags)
{
    ServerConfig cfg;
    ConfigAction action;
    const char *args[] = {"--port",
                          "7000",
                          "--max-connections=3",
                          "--log-level",
                          "debug",
                          "--data-dir",
                          "/tmp/x",
                          "--listen=*",
                          "--max-message-size",
                          "2MB",
                          "--startup-timeout",
                          "2min",
                          "--log-compression-level",
                          "19",
                          "--state-map-size=3GB",
                          NULL};

    ck_assert_int_eq(load(&cfg, &action, args), 0);
    ck_assert_int_eq(cfg.port, 7000);
    ck_assert_int_eq(cfg.max_connections, 3);
    ck_assert_int_eq(cfg.log_level, LOG_LEVEL_DEBUG);
    ck_assert_str_eq(cfg.data_dir, "/tmp/x");
    ck_assert_str_eq(cfg.listen, "*");
    ck_assert_uint_eq(cfg.max_message_size, 2u * 1024 * 1024);
    ck_assert_int_eq(cfg.startup_timeout, 120);
    ck_assert_int_eq(cfg.log_compression_level, 19);
    ck_assert_uint_eq(cfg.state_map_size, (size_t)3 << 30);
}
END_TEST

START_TEST(test_storage_sizes)
{
    static const struct {
        const char *value;
        size_t bytes;
    } ok[] = {{"1MB", (size_t)1 << 20},   {"1048576", (size_t)1 << 20}, {"512kB", 0},
              {"64 MiB", (size_t)64 << 20}, {"16TB", (size_t)16 << 40}, {"8gb", (size_t)8 << 30},
              {"1048575", 0}};
    ServerConfig cfg;
    ConfigAction action;

    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        const char *args[] = {"--state-map-size", ok[i].value, NULL};
        int rc = load(&cfg, &action, args);

        if (ok[i].bytes == 0) { /* below 1MB: refused */
            ck_assert_msg(rc == -1, "%s accepted", ok[i].value);
            continue;
        }
        ck_assert_msg(rc == 0, "%s refused", ok[i].value);
        ck_assert_uint_eq(cfg.state_map_size, ok[i].bytes);
    }
}
END_TEST

START_TEST(test_help_and_version)
{
    ServerConfig cfg;
    ConfigAction action;
    const char *help[] = {"--port", "1", "--help", NULL};
    const char *version[] = {"--version", NULL};

    ck_assert_int_eq(load(&cfg, &action, help), 0);
    ck_assert_int_eq(action, CONFIG_HELP);
    ck_assert_int_eq(load(&cfg, &action, version), 0);
    ck_assert_int_eq(action, CONFIG_VERSION);
}
END_TEST

START_TEST(test_bad_flags)
{
    static const char *const cases[][3] = {
        {"--bogus", "1", NULL},
        {"--port", NULL, NULL},
        {"--port", "65536", NULL},
        {"--port", "12abc", NULL},
        {"--port", "", NULL},
        {"--max-connections", "0", NULL},
        {"--log-level", "loud", NULL},
        {"--max-message-size", "10", NULL},
        {"--max-message-size", "2TB", NULL},
        {"--startup-timeout", "0", NULL},
        {"--startup-timeout", "601", NULL},
        {"--log-compression-level", "0", NULL},
        {"--log-compression-level", "20", NULL},
        {"--log-compression-level", "3x", NULL},
        {"--state-map-size", "17TB", NULL},
        {"--state-map-size", "1PB", NULL},
        {"--state-map-size", "-1GB", NULL},
        {"-p", "5", NULL},
        {"stray", NULL, NULL},
        {"--data-dir", "", NULL},
        {"--config", "/nonexistent/rivulet.conf", NULL},
    };
    ServerConfig cfg;
    ConfigAction action;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(load(&cfg, &action, cases[i]) == -1, "case %zu accepted", i);
}
END_TEST

START_TEST(test_file_and_precedence)
{
    char path[64];
    ServerConfig cfg;
    ConfigAction action;

    write_file(path, "# comment\n\n  port = 7001   # trailing comment\n"
                     "max_connections 9\nlog_level='warning'\n"
                     "data_dir = '/tmp/it''s'\nMAX_MESSAGE_SIZE = 4kB\n");
    {
        const char *args[] = {"--port", "7002", "--config", path, NULL};

        ck_assert_int_eq(load(&cfg, &action, args), 0);
    }
    unlink(path);
    ck_assert_int_eq(cfg.port, 7002); /* the flag wins, though it came first */
    ck_assert_int_eq(cfg.max_connections, 9);
    ck_assert_int_eq(cfg.log_level, LOG_LEVEL_WARNING);
    ck_assert_str_eq(cfg.data_dir, "/tmp/it's");
    ck_assert_uint_eq(cfg.max_message_size, 4096);
}
END_TEST

START_TEST(test_bad_files)
{
    static const char *const texts[] = {
        "nosuch = 1\n",   "port = abc\n",       "port =\n", "port = 1 2\n",
        "data-dir = x\n", "data_dir = 'open\n", "= 5\n",    "config = other\n",
    };
    ServerConfig cfg;
    ConfigAction action;
    char path[64];

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *args[] = {"--config", path, NULL};

        write_file(path, texts[i]);
        ck_assert_msg(load(&cfg, &action, args) == -1, "file %zu accepted", i);
        unlink(path);
    }
}
END_TEST

static Suite *
config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_flags);
    tcase_add_test(tc, test_help_and_version);
    tcase_add_test(tc, test_bad_flags);
    tcase_add_test(tc, test_storage_sizes);
    tcase_add_test(tc, test_file_and_precedence);
    tcase_add_test(tc, test_bad_files);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(config_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
