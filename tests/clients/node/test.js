// tests/clients/node/test.js — node-postgres (pg) as a client.
//
//   cd tests/clients/node && npm ci && PGHOST=127.0.0.1 PGPORT=N node test.js
//
// node-postgres has its own protocol code (pure JavaScript): a query without
// values goes as a simple Query, one with values as Parse/Bind/Describe/
// Execute/Sync on the unnamed statement, and {name, text, values} as a named
// statement parsed once per connection. Covers those, rowMode 'array', type
// parsing, errors with code/position/hint, transactions, notices,
// ParameterStatus, and cancel (pg's Client has no cancel call, so the
// CancelRequest is sent by hand with the pid and key from BackendKeyData).
// Prints one line per check and "N passed, N failed".
'use strict';

const net = require('net');
const { Client } = require('pg');

const config = {
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT),
  user: process.env.PGUSER || 'postgres',
  database: process.env.PGDATABASE || 'regression',
  application_name: 'node_test',
  connectionTimeoutMillis: 10000,
};

let passed = 0;
let failed = 0;

function assertEq(got, want, what) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) throw new Error(`${what}: got ${g}, want ${w}`);
}

async function expectError(client, query, code) {
  try {
    await client.query(query);
  } catch (e) {
    assertEq(e.code, code, `code of ${JSON.stringify(query)}`);
    return e;
  }
  throw new Error(`${JSON.stringify(query)} did not fail`);
}

async function withClient(fn) {
  const client = new Client(config);
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

const tests = [];
function check(name, fn) {
  tests.push([name, fn]);
}

check('simple_query', async () => withClient(async (c) => {
  const r = await c.query("SELECT 1 AS one, 'two' AS two, true AS t, NULL AS n");
  assertEq(r.rows, [{ one: 1, two: 'two', t: true, n: null }], 'rows');
  assertEq(r.command, 'SELECT', 'command');
  assertEq(r.rowCount, 1, 'rowCount');
  assertEq(r.fields.map((f) => [f.name, f.dataTypeID]),
    [['one', 23], ['two', 25], ['t', 16], ['n', 25]], 'fields');
  const multi = await c.query('SELECT 1 AS a; SELECT 2 AS b');
  assertEq(multi.map((x) => x.rows), [[{ a: 1 }], [{ b: 2 }]], 'two results');
  const set = await c.query("SET application_name = 'changed'");
  assertEq(set.command, 'SET', 'SET command');
  const show = await c.query('SHOW application_name');
  assertEq(show.rows, [{ application_name: 'changed' }], 'SHOW');
}));

check('parameterized_query_extended_protocol', async () => withClient(async (c) => {
  let r = await c.query('SELECT $1::int4 + 1 AS n', [41]);
  assertEq(r.rows, [{ n: 42 }], 'int param');
  r = await c.query('SELECT $1 || $2 AS s', ['a', 'b']);
  assertEq(r.rows, [{ s: 'ab' }], 'untyped text params');
  r = await c.query('SELECT $1::int8 AS big, $2::bool AS b, $3::text AS n', ['9223372036854775807', true, null]);
  assertEq(r.rows, [{ big: '9223372036854775807', b: true, n: null }], 'int8 comes back as a string');
  r = await c.query('SELECT $1::int2 * 2 AS s', [-16000]);
  assertEq(r.rows, [{ s: -32000 }], 'int2');
  r = await c.query("SELECT $1 AS u", ['héllo 日本語 🙂']);
  assertEq(r.rows, [{ u: 'héllo 日本語 🙂' }], 'unicode');
  r = await c.query('SELECT CASE WHEN $1::bool THEN $2::int ELSE 0 END AS x', [true, 7]);
  assertEq(r.rows, [{ x: 7 }], 'CASE with params');
  const e = await expectError(c, { text: 'SELECT $1 IS NULL', values: [null] }, '42P18');
  assertEq(e.message, 'could not determine data type of parameter $1', 'message');
}));

check('named_prepared_statement', async () => withClient(async (c) => {
  const q = { name: 'double_it', text: 'SELECT $1::int4 * 2 AS d, $2::text AS t' };
  for (let i = 0; i < 6; i++) {
    const r = await c.query({ ...q, values: [i, `v${i}`] });
    assertEq(r.rows, [{ d: i * 2, t: `v${i}` }], `execution ${i}`);
  }
  // A second named statement, and the first one again.
  let r = await c.query({ name: 'other', text: "SELECT 'other' AS o" });
  assertEq(r.rows, [{ o: 'other' }], 'other');
  r = await c.query({ ...q, values: [21, null] });
  assertEq(r.rows, [{ d: 42, t: null }], 'first again');
  // A named statement that fails at run time stays prepared.
  const div = { name: 'div', text: 'SELECT 10 / $1::int4 AS q' };
  await expectError(c, { ...div, values: [0] }, '22012');
  r = await c.query({ ...div, values: [5] });
  assertEq(r.rows, [{ q: 2 }], 'after failure');
}));

check('row_mode_array', async () => withClient(async (c) => {
  let r = await c.query({ text: "SELECT 1 AS a, 'x' AS a, NULL AS b", rowMode: 'array' });
  assertEq(r.rows, [[1, 'x', null]], 'array rows');
  r = await c.query({ text: 'SELECT $1::int2, $2::int8', values: [3, 4], rowMode: 'array' });
  assertEq(r.rows, [[3, '4']], 'array rows with params');
}));

check('types', async () => withClient(async (c) => {
  const r = await c.query('SELECT 1::int2 AS s, 2::int4 AS i, 3::int8 AS l, true AS b,'
    + " false AS f, 'x'::text AS t, NULL::int4 AS n, (-2147483647 - 1) AS mn, '' AS e");
  assertEq(r.rows, [{ s: 1, i: 2, l: '3', b: true, f: false, t: 'x', n: null, mn: -2147483648, e: '' }], 'values');
  assertEq(r.fields.map((f) => f.dataTypeID), [21, 23, 20, 16, 16, 25, 23, 23, 25], 'type OIDs');
  assertEq(r.fields.map((f) => f.format), ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'], 'formats');
}));

check('errors_with_code_position_hint', async () => withClient(async (c) => {
  let e = await expectError(c, 'SELECT 1 / 0', '22012');
  assertEq([e.message, e.severity, e.position], ['division by zero', 'ERROR', undefined], 'division');
  e = await expectError(c, 'SELEC 1', '42601');
  assertEq([e.message, e.position], ['syntax error at or near "SELEC"', '1'], 'syntax');
  e = await expectError(c, 'SELECT 1, nosuchcol', '42703');
  assertEq(e.position, '11', 'column position');
  e = await expectError(c, 'SELECT nosuchfunc(1)', '42883');
  assertEq(e.hint, 'No function matches the given name and argument types. You might need to add explicit type casts.', 'hint');
  e = await expectError(c, { text: 'SELECT $1::int', values: ['abc'] }, '22P02');
  assertEq(e.message, 'invalid input syntax for type integer: "abc"', 'bind error');
  e = await expectError(c, { text: 'SELECT nosuchcol + $1', values: [1] }, '42703');
  assertEq(e.position, '8', 'parse error position');
  const r = await c.query("SELECT 'alive' AS s");
  assertEq(r.rows, [{ s: 'alive' }], 'still usable');
}));

check('transactions', async () => withClient(async (c) => {
  await c.query('BEGIN');
  await c.query("SET application_name = 'in tx'");
  await c.query('ROLLBACK');
  let r = await c.query('SHOW application_name');
  assertEq(r.rows, [{ application_name: 'node_test' }], 'SET rolled back');
  await c.query('BEGIN');
  await expectError(c, 'SELECT 1 / 0', '22012');
  await expectError(c, 'SELECT 1', '25P02');
  await expectError(c, { text: 'SELECT $1::int', values: [1] }, '25P02');
  r = await c.query('COMMIT');
  assertEq(r.command, 'ROLLBACK', 'COMMIT of a failed block says ROLLBACK');
  r = await c.query('SELECT 1 AS x');
  assertEq(r.rows, [{ x: 1 }], 'after the block');
}));

check('notices', async () => withClient(async (c) => {
  const seen = [];
  c.on('notice', (n) => seen.push([n.severity, n.code, n.message]));
  await c.query('COMMIT');
  await c.query({ text: 'ROLLBACK', values: [] });
  assertEq(seen, [['WARNING', '25P01', 'there is no transaction in progress'],
    ['WARNING', '25P01', 'there is no transaction in progress']], 'notices');
}));

check('parameter_status', async () => withClient(async (c) => {
  // node-postgres has no public API for ParameterStatus: listen to the messages.
  const seen = {};
  c.connection.on('parameterStatus', (m) => { seen[m.parameterName] = m.parameterValue; });
  await c.query("SET application_name = 'ps_check'");
  assertEq(seen.application_name, 'ps_check', 'ParameterStatus after SET');
  const r = await c.query("SELECT current_setting('server_version') AS v");
  if (!r.rows[0].v.startsWith('15')) throw new Error(`server_version ${r.rows[0].v}`);
}));

check('cancel_pg_sleep', async () => withClient(async (c) => {
  const pid = c.processID;
  const key = c.secretKey;
  if (!pid) throw new Error('no BackendKeyData');
  setTimeout(() => {
    const s = net.connect(config.port, config.host, () => {
      const b = Buffer.alloc(16);
      b.writeInt32BE(16, 0);
      b.writeInt32BE(80877102, 4);
      b.writeInt32BE(pid, 8);
      b.writeInt32BE(key, 12);
      s.end(b);
    });
    s.on('error', () => {});
  }, 500);
  const t0 = Date.now();
  await expectError(c, 'SELECT pg_sleep(10)', '57014');
  const secs = (Date.now() - t0) / 1000;
  if (secs > 5) throw new Error(`cancel took ${secs} s`);
  const r = await c.query("SELECT 'after cancel' AS s");
  assertEq(r.rows, [{ s: 'after cancel' }], 'usable after cancel');
}));

check('concurrent_clients', async () => {
  const clients = [];
  for (let i = 0; i < 10; i++) clients.push(new Client(config));
  await Promise.all(clients.map((c) => c.connect()));
  const rows = await Promise.all(clients.map((c, i) => c.query('SELECT $1::int4 AS i, pg_backend_pid() AS pid', [i])));
  assertEq(rows.map((r) => r.rows[0].i), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'each its own answer');
  const pids = new Set(rows.map((r) => r.rows[0].pid));
  assertEq(pids.size, 10, 'distinct backends');
  await Promise.all(clients.map((c) => c.end()));
});

(async () => {
  for (const [name, fn] of tests) {
    try {
      await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after 30 s')), 30000).unref())]);
      passed++;
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}`);
      console.log(`    ${e && e.stack ? e.stack.split('\n').slice(0, 3).join('\n    ') : e}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
