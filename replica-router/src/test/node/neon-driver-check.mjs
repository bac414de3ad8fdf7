// The real Neon serverless driver against Sluice's replica-router. Prints one JSON object that
// NeonDriverTest asserts on. Usage: SLUICE_URL=http://127.0.0.1:PORT/sql TABLE=t_x node neon-driver-check.mjs
import { neon, neonConfig, NeonDbError } from '@neondatabase/serverless';

neonConfig.fetchEndpoint = process.env.SLUICE_URL;
// Read-your-writes: every request carries a Sluice-Session, so reads wait for (or skip) replicas that have not
// replayed this session's writes. This is how an app adds it: wrap fetch, keep the driver's own headers.
const session = 'driver-' + process.env.TABLE;
neonConfig.fetchFunction = (url, init) =>
  fetch(url, { ...init, headers: { ...init.headers, 'Sluice-Session': session } });
// The database and user in the connection string select the router's pools (replica-router.logins); these are the
// router's own, and the harness's PostgreSQL trusts its connections, so the password is not checked.
const sql = neon('postgresql://postgres:unused@sluice.local/postgres');
const t = sql.unsafe(process.env.TABLE);
const out = {};

out.simple = await sql`SELECT 1 AS n, ${'x'}::text AS s`;
await sql`CREATE TABLE ${t} (id int PRIMARY KEY, name text, at timestamptz, doc jsonb, tags int[], ok boolean)`;
out.insert = await sql.query(
  `INSERT INTO ${process.env.TABLE} VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
  [7, "O'Brien", new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), { a: 1 }, [1, 2, null], true],
  { fullResults: true });
out.select = await sql`SELECT * FROM ${t} WHERE id = ${7}`;
out.tx = await sql.transaction([
  sql`INSERT INTO ${t} (id, name) VALUES (${8}, ${'tx'})`,
  sql`SELECT count(*)::int AS c FROM ${t}`,
]);
try {
  await sql`SELECT * FROM no_such_table_for_driver`;
  out.error = null;
} catch (e) {
  out.error = { isNeonDbError: e instanceof NeonDbError, code: e.code, message: e.message, position: e.position };
}
try {
  await sql.transaction([
    sql`INSERT INTO ${t} (id, name) VALUES (${9}, ${'rolled back'})`,
    sql`INSERT INTO ${t} (id, name) VALUES (${7}, ${'duplicate'})`,
  ]);
  out.txError = null;
} catch (e) {
  out.txError = e.code;
}
out.afterRollback = await sql`SELECT count(*)::int AS c FROM ${t}`;
console.log(JSON.stringify(out));
