/*
 * tests/clients/ClientTest.java — pgjdbc (Debian's libpostgresql-jdbc-java) as a client.
 *
 *   javac -cp /usr/share/java/postgresql.jar -d OUT tests/clients/ClientTest.java
 *   PGHOST=127.0.0.1 PGPORT=N java -cp OUT:/usr/share/java/postgresql.jar ClientTest
 *
 * pgjdbc speaks only the extended protocol (Parse/Bind/Describe/Execute/Sync),
 * switches a PreparedStatement to a named server-side statement after
 * prepareThreshold (5) executions and then asks for binary results, uses a
 * named portal and Execute row limits for setFetchSize() when autocommit is
 * off, and cancels with a CancelRequest. Prints one line per check and
 * "N passed, N failed".
 */
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.postgresql.util.PSQLException;

public class ClientTest {
    static int passed = 0;
    static int failed = 0;
    static String url;

    interface Body {
        void run() throws Exception;
    }

    static void check(String name, Body body) {
        try {
            body.run();
            passed++;
            System.out.println("ok - " + name);
        } catch (Throwable t) {
            failed++;
            System.out.println("not ok - " + name);
            System.out.println("    " + t);
            StackTraceElement[] st = t.getStackTrace();
            for (int i = 0; i < st.length && i < 4; i++) {
                System.out.println("        at " + st[i]);
            }
        }
    }

    static void eq(Object got, Object want, String what) {
        if (!Objects.equals(got, want)) {
            throw new AssertionError(what + ": got " + got + ", want " + want);
        }
    }

    static void truth(boolean cond, String what) {
        if (!cond) {
            throw new AssertionError(what);
        }
    }

    static Connection connect(String extra) throws SQLException {
        return DriverManager.getConnection(url + extra);
    }

    static SQLException expectError(Statement st, String sql, String sqlState) {
        try {
            st.execute(sql);
        } catch (SQLException e) {
            eq(e.getSQLState(), sqlState, "SQLState of " + sql);
            return e;
        }
        throw new AssertionError(sql + " did not fail");
    }

    public static void main(String[] args) throws Exception {
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        String port = System.getenv("PGPORT");
        String db = System.getenv().getOrDefault("PGDATABASE", "regression");
        String user = System.getenv().getOrDefault("PGUSER", "postgres");
        if (port == null) {
            System.err.println("set PGPORT");
            System.exit(2);
        }
        url = "jdbc:postgresql://" + host + ":" + port + "/" + db + "?user=" + user
                + "&connectTimeout=10&socketTimeout=60&ApplicationName=ClientTest&sslmode=disable";

        check("connect_and_database_metadata", () -> {
            try (Connection c = connect("")) {
                DatabaseMetaData md = c.getMetaData();
                eq(md.getDatabaseProductName(), "PostgreSQL", "product name");
                truth(md.getDatabaseProductVersion().startsWith("15"),
                        "product version " + md.getDatabaseProductVersion());
                eq(md.getDatabaseMajorVersion(), 15, "major version");
                eq(md.getUserName(), user, "user name");
                truth(c.isValid(5), "isValid (an empty query)");
                truth(((PGConnection) c).getBackendPID() > 0, "backend pid");
                eq(((PGConnection) c).getParameterStatus("application_name"), "ClientTest",
                        "application_name ParameterStatus");
                eq(((PGConnection) c).getParameterStatus("client_encoding"), "UTF8",
                        "client_encoding");
            }
        });

        check("statement_types_and_nulls", () -> {
            try (Connection c = connect(""); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT 1::int2 AS s, 2 AS i, 3::int8 AS l,"
                         + " true AS b, 'x'::text AS t, NULL::int4 AS n, NULL AS u,"
                         + " 9223372036854775807 AS big, 'héllo 日本語' AS uni")) {
                truth(rs.next(), "one row");
                eq(rs.getShort("s"), (short) 1, "int2");
                eq(rs.getInt("i"), 2, "int4");
                eq(rs.getLong("l"), 3L, "int8");
                eq(rs.getBoolean("b"), true, "bool");
                eq(rs.getString("t"), "x", "text");
                eq(rs.getInt("n"), 0, "null int");
                truth(rs.wasNull(), "wasNull");
                eq(rs.getString("u"), null, "null literal");
                eq(rs.getLong("big"), Long.MAX_VALUE, "int8 max");
                eq(rs.getString("uni"), "héllo 日本語", "unicode");
                eq(rs.getObject("s"), 1, "getObject int2 is an Integer");
                eq(rs.getObject("b"), Boolean.TRUE, "getObject bool");
                truth(!rs.next(), "only one row");
            }
        });

        check("result_set_metadata", () -> {
            try (Connection c = connect(""); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(
                         "SELECT 1::int2 AS a, 2 AS b, 3::int8 AS c, true AS d, 'x'::text AS e")) {
                ResultSetMetaData md = rs.getMetaData();
                eq(md.getColumnCount(), 5, "columns");
                int[] types = {Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.BIT, Types.VARCHAR};
                String[] names = {"int2", "int4", "int8", "bool", "text"};
                for (int i = 1; i <= 5; i++) {
                    eq(md.getColumnType(i), types[i - 1], "type of column " + i);
                    eq(md.getColumnTypeName(i), names[i - 1], "type name of column " + i);
                    eq(md.getColumnLabel(i), String.valueOf((char) ('a' + i - 1)), "label " + i);
                }
            }
        });

        // table columns carry their table OID in RowDescription; pgjdbc then asks pg_catalog
        // (pg_class, pg_attribute, pg_type, pg_attrdef) for nullability and the table's name
        check("result_set_metadata_of_table_columns", () -> {
            try (Connection c = connect(""); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS jdbc_md");
                st.execute("CREATE TABLE jdbc_md (a int NOT NULL, b text DEFAULT 'x', k bigint PRIMARY KEY)");
                try (ResultSet rs = st.executeQuery("SELECT a, b, k, a + 1 AS c FROM jdbc_md")) {
                    ResultSetMetaData md = rs.getMetaData();
                    String[] types = {"int4", "text", "int8", "int4"};
                    int[] nullable = {ResultSetMetaData.columnNoNulls, ResultSetMetaData.columnNullable,
                                      ResultSetMetaData.columnNoNulls,
                                      ResultSetMetaData.columnNullableUnknown};
                    String[] tables = {"jdbc_md", "jdbc_md", "jdbc_md", ""};
                    for (int i = 1; i <= 4; i++) {
                        eq(md.getColumnTypeName(i), types[i - 1], "type name of column " + i);
                        eq(md.isNullable(i), nullable[i - 1], "nullable " + i);
                        eq(md.isAutoIncrement(i), false, "auto increment " + i);
                        eq(md.getTableName(i), tables[i - 1], "table of column " + i);
                    }
                }
                st.execute("DROP TABLE jdbc_md");
            }
        });

        check("prepared_statement_switches_to_server_side", () -> {
            try (Connection c = connect("");
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT ? + 1 AS i, ? IS NULL AS n, NOT ? AS b, ? * 2 AS l, ?::int2 AS sh")) {
                for (int k = 0; k < 12; k++) {
                    ps.setInt(1, k);
                    ps.setNull(2, Types.INTEGER);
                    ps.setBoolean(3, k % 2 == 0);
                    ps.setLong(4, 4000000000L + k);
                    ps.setShort(5, (short) -k);
                    try (ResultSet rs = ps.executeQuery()) {
                        truth(rs.next(), "row " + k);
                        eq(rs.getInt(1), k + 1, "int param " + k);
                        eq(rs.getBoolean(2), true, "null param " + k);
                        eq(rs.getBoolean(3), k % 2 != 0, "bool param " + k);
                        eq(rs.getLong(4), 2 * (4000000000L + k), "long param " + k);
                        eq(rs.getShort(5), (short) -k, "short param " + k);
                        truth(!rs.next(), "one row " + k);
                    }
                }
                truth(((PGStatement) ps).isUseServerPrepare(), "named server-side statement in use");
            }
        });

        // setString's default: the parameter is typed varchar (OID 1043).
        check("set_string_binds_varchar", () -> {
            try (Connection c = connect("");
                 PreparedStatement ps = c.prepareStatement("SELECT ? || 'x', ? IS NULL, ?")) {
                for (int k = 0; k < 7; k++) {
                    ps.setString(1, "v" + k);
                    ps.setNull(2, Types.VARCHAR);
                    ps.setString(3, "héllo 日本語 " + k);
                    try (ResultSet rs = ps.executeQuery()) {
                        truth(rs.next(), "row " + k);
                        eq(rs.getString(1), "v" + k + "x", "concatenation " + k);
                        eq(rs.getBoolean(2), true, "null varchar " + k);
                        eq(rs.getString(3), "héllo 日本語 " + k, "unicode " + k);
                    }
                }
            }
        });

        // stringtype=unspecified: strings go as untyped (OID 0) parameters.
        check("prepared_statement_untyped_strings_and_nulls", () -> {
            try (Connection c = connect("&stringtype=unspecified");
                 PreparedStatement ps = c.prepareStatement("SELECT ?::text, ?::int8, COALESCE(?, 'dflt')")) {
                for (int k = 0; k < 7; k++) {
                    ps.setString(1, k % 2 == 0 ? null : "s" + k);
                    ps.setObject(2, k % 3 == 0 ? null : (Object) (long) k, Types.BIGINT);
                    ps.setString(3, k % 2 == 0 ? "given" : null);
                    try (ResultSet rs = ps.executeQuery()) {
                        truth(rs.next(), "row");
                        eq(rs.getString(1), k % 2 == 0 ? null : "s" + k, "string/null " + k);
                        eq(rs.getObject(2), k % 3 == 0 ? null : (Object) (long) k, "int8/null " + k);
                        eq(rs.getString(3), k % 2 == 0 ? "given" : "dflt", "coalesce " + k);
                    }
                }
            }
        });

        check("sqlstate_and_connection_survives", () -> {
            try (Connection c = connect(""); Statement st = c.createStatement()) {
                expectError(st, "SELECT 1 / 0", "22012");
                SQLException e = expectError(st, "SELEC 1", "42601");
                eq(((PSQLException) e).getServerErrorMessage().getPosition(), 1, "syntax error position");
                e = expectError(st, "SELECT nosuchcol", "42703");
                eq(((PSQLException) e).getServerErrorMessage().getPosition(), 8, "column position");
                e = expectError(st, "SELECT nosuchfunc(1)", "42883");
                truth(((PSQLException) e).getServerErrorMessage().getHint().startsWith("No function"),
                        "hint");
                expectError(st, "SELECT 2147483647 + 1", "22003");
                expectError(st, "SELECT 'x'::int", "22P02");
                try (ResultSet rs = st.executeQuery("SELECT 'alive'")) {
                    truth(rs.next(), "row after errors");
                    eq(rs.getString(1), "alive", "alive");
                }
                PreparedStatement ps = c.prepareStatement("SELECT 10 / ?");
                for (int k = 0; k < 8; k++) {
                    ps.setInt(1, k % 4);
                    try (ResultSet rs = ps.executeQuery()) {
                        truth(k % 4 != 0, "division by zero must fail");
                        rs.next();
                        eq(rs.getInt(1), 10 / (k % 4), "quotient");
                    } catch (SQLException ex) {
                        truth(k % 4 == 0, "unexpected " + ex);
                        eq(ex.getSQLState(), "22012", "prepared division by zero");
                    }
                }
            }
        });

        check("fetch_size_with_autocommit_off_uses_portal_row_limits", () -> {
            try (Connection c = connect("")) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.setFetchSize(1);
                    for (int k = 0; k < 3; k++) {
                        try (ResultSet rs = st.executeQuery("SELECT 42 AS answer, 'forty-two' AS s")) {
                            truth(rs.next(), "first row");
                            eq(rs.getInt(1), 42, "answer");
                            eq(rs.getString(2), "forty-two", "s");
                            truth(!rs.next(), "no second row");
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT ? * 3")) {
                    ps.setFetchSize(1);
                    for (int k = 0; k < 8; k++) {
                        ps.setInt(1, k);
                        try (ResultSet rs = ps.executeQuery()) {
                            truth(rs.next(), "row");
                            eq(rs.getInt(1), 3 * k, "tripled");
                            truth(!rs.next(), "one row");
                        }
                    }
                }
                c.commit();
            }
        });

        check("transactions", () -> {
            try (Connection c = connect("")) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("SET application_name = 'in tx'");
                    c.rollback();
                    try (ResultSet rs = st.executeQuery("SHOW application_name")) {
                        rs.next();
                        eq(rs.getString(1), "ClientTest", "SET rolled back");
                    }
                    st.execute("SET application_name = 'committed'");
                    c.commit();
                    try (ResultSet rs = st.executeQuery("SHOW application_name")) {
                        rs.next();
                        eq(rs.getString(1), "committed", "SET committed");
                    }
                    expectError(st, "SELECT 1 / 0", "22012");
                    expectError(st, "SELECT 1", "25P02");
                    c.rollback();
                    try (ResultSet rs = st.executeQuery("SELECT 'recovered'")) {
                        rs.next();
                        eq(rs.getString(1), "recovered", "after rollback");
                    }
                    c.commit();
                }
            }
        });

        check("warnings", () -> {
            try (Connection c = connect(""); Statement st = c.createStatement()) {
                st.execute("COMMIT");
                SQLWarning w = st.getWarnings();
                truth(w != null, "a warning");
                eq(w.getMessage(), "there is no transaction in progress", "warning text");
                eq(w.getSQLState(), "25P01", "warning SQLState");
            }
        });

        check("multiple_statements_in_one_execute", () -> {
            try (Connection c = connect(""); Statement st = c.createStatement()) {
                truth(st.execute("SELECT 1; SELECT 'two'; SET application_name = 'm'"), "first is a result");
                List<String> got = new ArrayList<>();
                do {
                    ResultSet rs = st.getResultSet();
                    if (rs != null) {
                        rs.next();
                        got.add(rs.getString(1));
                    } else {
                        got.add("count=" + st.getUpdateCount());
                    }
                } while (st.getMoreResults() || st.getUpdateCount() != -1);
                eq(got.toString(), "[1, two, count=0]", "results");
            }
        });

        check("simple_query_mode", () -> {
            try (Connection c = connect("&preferQueryMode=simple");
                 PreparedStatement ps = c.prepareStatement("SELECT ? + 1, ?, ?")) {
                ps.setInt(1, 41);
                ps.setString(2, "it's");
                ps.setNull(3, Types.BOOLEAN);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    eq(rs.getInt(1), 42, "int");
                    eq(rs.getString(2), "it's", "quoted string");
                    eq(rs.getObject(3), null, "null");
                }
            }
        });

        check("cancel_and_query_timeout", () -> {
            try (Connection c = connect(""); Statement st = c.createStatement()) {
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(500);
                        st.cancel();
                    } catch (Exception ignored) {
                    }
                });
                long t0 = System.nanoTime();
                t.start();
                expectError(st, "SELECT pg_sleep(10)", "57014");
                t.join();
                double secs = (System.nanoTime() - t0) / 1e9;
                truth(secs < 5, "cancel took " + secs + " s");
                st.setQueryTimeout(1);
                t0 = System.nanoTime();
                expectError(st, "SELECT pg_sleep(10)", "57014");
                secs = (System.nanoTime() - t0) / 1e9;
                truth(secs < 5, "query timeout took " + secs + " s");
                st.setQueryTimeout(0);
                try (ResultSet rs = st.executeQuery("SELECT 'after cancel'")) {
                    rs.next();
                    eq(rs.getString(1), "after cancel", "usable after cancel");
                }
            }
        });

        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
