import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { cachingStatements } from '../../src/store/statement-cache.ts';

function open() {
  const database = new Database(':memory:');
  database.exec('create table t (id integer primary key, name text)');
  return database;
}

test('one SQL text is prepared once and its statement reused', () => {
  const database = open();
  const cached = cachingStatements(database);
  const insert = cached.prepare('insert into t (id, name) values (?, ?)');
  insert.run([1, 'a']);
  assert.equal(cached.prepare('insert into t (id, name) values (?, ?)'), insert);
  cached.prepare('insert into t (id, name) values (?, ?)').run([2, 'b']);
  assert.deepEqual(cached.prepare('select name from t order by id').all([]), [{ name: 'a' }, { name: 'b' }]);
  cached.close();
  assert.equal(database.open, false);
});

test('a statement in the middle of an iteration is not handed out again', () => {
  const database = open();
  const cached = cachingStatements(database);
  cached.prepare('insert into t (id, name) values (?, ?)').run([1, 'a']);
  cached.prepare('insert into t (id, name) values (?, ?)').run([2, 'b']);
  const select = cached.prepare('select id from t order by id');
  const iterator = select.iterate([]);
  assert.deepEqual(iterator.next().value, { id: 1 });
  const second = cached.prepare('select id from t order by id');
  assert.notEqual(second, select, 'the busy statement is left to its iteration');
  assert.deepEqual(second.all([]), [{ id: 1 }, { id: 2 }]);
  assert.deepEqual(iterator.next().value, { id: 2 });
  iterator.return?.();
  assert.equal(cached.prepare('select id from t order by id'), select, 'reused once the iteration ended');
  cached.close();
});

test('the least recently used statement is dropped past the capacity', () => {
  const database = open();
  const cached = cachingStatements(database, 2);
  const a = cached.prepare('select 1 as n');
  const b = cached.prepare('select 2 as n');
  assert.equal(cached.prepare('select 1 as n'), a, 'a is now the most recent');
  cached.prepare('select 3 as n');
  assert.equal(cached.prepare('select 1 as n'), a, 'a was kept');
  assert.notEqual(cached.prepare('select 2 as n'), b, 'b was dropped and prepared anew');
  cached.close();
});
