import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderActionYml, withReadmeTables } from '../../scripts/action-yml.js';

describe('action.yml', () => {
  it('is in step with the inputs and outputs the code reads', () => {
    expect(readFileSync('action.yml', 'utf8')).toBe(renderActionYml());
  });

  it('is documented in the README, input by input', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(withReadmeTables(readme));
    expect(readme).toContain('<!-- inputs:start -->');
    expect(readme).toContain('| `max-bar1-growth` |');
  });

  it('runs on node24 with a post step that always tears down', () => {
    const action = parse(readFileSync('action.yml', 'utf8'));
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/main/index.js',
      post: 'dist/post/index.js',
      'post-if': 'always()',
    });
    for (const name of ['config', 'deploy', 'teardown', 'endpoint', 'model', 'api-key']) {
      expect(action.inputs).toHaveProperty(name);
    }
    for (const name of ['verdict', 'reasons', 'bar1-growth-mib', 'report']) {
      expect(action.outputs).toHaveProperty(name);
    }
  });
});

describe('version', () => {
  it('matches package.json', async () => {
    const { VERSION } = await import('../../src/version.js');
    expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
