import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { commands } from '../../../src/cli/commands';
import { CLI } from '../../support/team';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('every option of every command has a description and a default, and its usage names it', () => {
  for (const command of commands) {
    for (const [name, option] of Object.entries(command.options)) {
      assert.ok(option.description.trim().length > 10, `b2m ${command.name} --${name} says what it does`);
      assert.ok(option.default.trim().length > 0, `b2m ${command.name} --${name} says what happens without it`);
      assert.equal(option.type === 'string', option.value !== undefined, `b2m ${command.name} --${name} names its value exactly when it takes one`);
      assert.match(command.usage, new RegExp(`--${escape(name)}${option.value ? ` ${escape(option.value)}` : ''}\\b`), `the usage of b2m ${command.name} shows --${name}`);
    }
  }
});

test('"b2m COMMAND --help" describes every option with its default', () => {
  for (const command of commands) {
    const run = spawnSync(process.execPath, [CLI, ...command.name.split(' '), '--help'], { cwd: tmpdir(), encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const help = run.stdout.replace(/\n {3,}/g, ' '); // a description wrapped over several lines reads as one
    for (const [name, option] of Object.entries(command.options)) {
      const flag = `--${name}${option.value ? ` ${option.value}` : ''}`;
      const line = new RegExp(`^ {2}${escape(flag)} +${escape(option.description)}${option.multiple ? '; repeatable' : ''}\\. Default: ${escape(option.default)}\\.$`, 'm');
      assert.match(help, line, `b2m ${command.name} --help describes ${flag}`);
    }
    assert.match(help, /^ {2}--help +show this help\.$/m);
  }
});
