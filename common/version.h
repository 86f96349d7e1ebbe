/*
 * common/version.h — the versions Rivulet reports.
 *
 * Clients (libpq, JDBC, psycopg, node-postgres) read server_version and
 * server_version_num to pick features, so we report the PostgreSQL version
 * whose protocol and catalog behaviour we follow, with our own name beside it.
 */
#ifndef RIVULET_COMMON_VERSION_H
#define RIVULET_COMMON_VERSION_H

#define RIVULET_VERSION "0.1.0"
#define RIVULET_PG_VERSION "15.0"
#define RIVULET_PG_VERSION_NUM "150000"
/* What ParameterStatus server_version and SHOW server_version say. */
#define RIVULET_SERVER_VERSION RIVULET_PG_VERSION " (Rivulet " RIVULET_VERSION ")"

#endif
