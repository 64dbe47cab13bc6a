import { describe, expect, it } from 'vitest';
import {
  cell,
  code,
  details,
  fenced,
  inline,
  stripControl,
  table,
} from '../../src/report/markdown.js';

describe('inline', () => {
  it('escapes HTML so engine text cannot open a tag', () => {
    expect(inline('<script>alert(1)</script> & <img src=x>')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x&gt;',
    );
  });

  it('escapes Markdown that would start a link, an image, emphasis or code', () => {
    expect(inline('![x](http://a) [y](b) *z* _w_ `c` ~s~ #1')).toBe(
      '!\\[x\\](http://a) \\[y\\](b) \\*z\\* \\_w\\_ \\`c\\` \\~s\\~ \\#1',
    );
  });

  it('breaks @mentions so a comment never notifies the person named', () => {
    expect(inline('ask @octocat or @github/team, not me@')).toBe(
      'ask @\u200boctocat or @\u200bgithub/team, not me@',
    );
  });

  it('folds newlines and drops escape sequences', () => {
    expect(inline('one\r\n  two\n\u001b[31mred\u001b[0m\u0007')).toBe('one two red');
  });

  it('cuts long text with an ellipsis', () => {
    expect(inline('abcdefghij', 5)).toBe('abcd…');
  });
});

describe('cell', () => {
  it('escapes a pipe so a detail cannot add a column', () => {
    expect(table(['a', 'b'], [['x | y', 'z']])).toBe('| a | b |\n| --- | --- |\n| x \\| y | z |');
  });

  it('keeps a cell to 300 characters', () => {
    expect(cell('x'.repeat(1000))).toHaveLength(300);
  });
});

describe('code', () => {
  it('widens the backtick fence around text that holds backticks', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`edge`')).toBe('`` `edge` ``');
    expect(code('plain.yaml')).toBe('`plain.yaml`');
  });
});

describe('fenced', () => {
  it('uses a fence longer than any run of backticks inside', () => {
    const block = fenced(['before', '```', 'after ````'], 'text');
    expect(block.startsWith('`````text\n')).toBe(true);
    expect(block.endsWith('\n`````')).toBe(true);
  });

  it('keeps a three-backtick fence for text without backticks', () => {
    expect(fenced(['a', 'b'])).toBe('```text\na\nb\n```');
  });
});

describe('details', () => {
  it('escapes its summary and leaves a blank line around the body', () => {
    expect(details('Log <b>', 'body')).toBe(
      '<details><summary>Log &lt;b&gt;</summary>\n\nbody\n\n</details>',
    );
  });
});

describe('stripControl', () => {
  it('keeps tabs and newlines, removes colours and bells', () => {
    expect(stripControl('a\tb\n\u001b[1;31mc\u001b[0m\u0000')).toBe('a\tb\nc');
  });
});
