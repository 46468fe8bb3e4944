-- check.sql - the sqlite3 shell part of the SQLite workload
-- (eval/programs/sqlite/workload): SQL whose every answer is known,
-- compared with check.expected.  Recursive CTEs, window functions, JSON,
-- indexes, triggers, a transaction rolled back, and the shell's own
-- output modes.
.mode list
.headers off
CREATE TABLE t(id INTEGER PRIMARY KEY, grp INT, name TEXT, v REAL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO t(grp, name, v) SELECT i % 13, printf('item-%04d', i), (i * 37 % 101) / 4.0 FROM n;
CREATE INDEX t_grp ON t(grp, v);
SELECT count(*), sum(v), min(name), max(name) FROM t;
SELECT grp, count(*), round(avg(v), 3) FROM t GROUP BY grp ORDER BY grp LIMIT 5;
SELECT name, v, rank() OVER (PARTITION BY grp ORDER BY v DESC, id) AS r
  FROM t WHERE grp = 7 ORDER BY r LIMIT 3;
SELECT json_object('n', count(*), 'top', json_group_array(name))
  FROM (SELECT name FROM t ORDER BY v DESC, id LIMIT 3);
CREATE TABLE log(msg TEXT);
CREATE TRIGGER t_del AFTER DELETE ON t BEGIN INSERT INTO log VALUES ('deleted ' || old.name); END;
BEGIN;
DELETE FROM t WHERE grp = 0;
SELECT count(*) FROM log;
ROLLBACK;
SELECT count(*), (SELECT count(*) FROM log) FROM t;
DELETE FROM t WHERE id % 2 = 0;
SELECT count(*), group_concat(id, ',') FROM (SELECT id FROM t ORDER BY id LIMIT 5);
.mode csv
SELECT id, name, v FROM t ORDER BY v DESC, id LIMIT 3;
.mode box
SELECT grp, count(*) AS n FROM t WHERE grp < 3 GROUP BY grp;
PRAGMA integrity_check;
