import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, boolean, databaseUrl, integer, loadConfig, oneOf, string } from '../src/config';

const shape = {
  host: string('HOST', '127.0.0.1'),
  port: integer('PORT', 50051, { min: 1, max: 65535 }),
  verbose: boolean('VERBOSE', false),
  mode: oneOf('MODE', 'fast', ['fast', 'safe'] as const),
  database: databaseUrl('DATABASE_URL', 'mysql://u:p@127.0.0.1:3306/funshop_x'),
};

test('defaults apply when variables are unset or blank', () => {
  const config = loadConfig(shape, { PORT: '  ' });
  assert.is(config.host, '127.0.0.1');
  assert.is(config.port, 50051);
  assert.is(config.verbose, false);
  assert.is(config.mode, 'fast');
  assert.is(config.database.pathname, '/funshop_x');
});

test('values are parsed and typed', () => {
  const config = loadConfig(shape, { PORT: '6000', VERBOSE: 'true', MODE: 'safe', DATABASE_URL: 'mariadb://a:b@db:3307/shop' });
  assert.is(config.port, 6000);
  assert.is(config.verbose, true);
  assert.is(config.mode, 'safe');
  assert.is(config.database.port, '3307');
});

test('every problem is reported at once, naming the variable', () => {
  try {
    loadConfig({ ...shape, required: string('REQUIRED') }, { PORT: '70000', VERBOSE: 'yes', MODE: 'slow', DATABASE_URL: 'mongodb://x/y' });
    assert.unreachable('loadConfig accepted a broken environment');
  } catch (error) {
    assert.instance(error, ConfigError);
    const problems = (error as ConfigError).problems;
    assert.is(problems.length, 5);
    assert.match(problems.join('\n'), /PORT must be an integer in 1\.\.65535, got "70000"/);
    assert.match(problems.join('\n'), /VERBOSE must be true or false/);
    assert.match(problems.join('\n'), /MODE must be one of fast, safe/);
    assert.match(problems.join('\n'), /DATABASE_URL must be a mysql:\/\/, mariadb:\/\/ or postgres:\/\/ URL/);
    assert.match(problems.join('\n'), /REQUIRED is required/);
  }
});

test('a database URL without a database name is refused, and its password is not echoed', () => {
  assert.throws(() => loadConfig(shape, { DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/' }), /must name a database/);
  try {
    loadConfig(shape, { DATABASE_URL: 'mysql://user:secret@host:notaport/db' });
    assert.unreachable('an unparseable URL was accepted');
  } catch (error) {
    assert.match((error as Error).message, /DATABASE_URL is not a valid URL/);
    assert.not.match((error as Error).message, /secret/);
  }
});

test.run();
