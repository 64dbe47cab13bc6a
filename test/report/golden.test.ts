import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { renderComment } from '../../src/report/comment.js';
import { renderJUnit } from '../../src/report/junit.js';
import { renderSummary } from '../../src/report/summary.js';
import { renderText } from '../../src/report/text.js';
import { expectGolden } from './golden.js';
import { FIXTURES, fixture } from './load-fixture.js';
import { mermaidBlocks, parseMermaid } from './mermaid-parse.js';

const XSD = readFileSync(join(import.meta.dirname, 'schema/junit.xsd'), 'utf8');

const COMMENT = {
  marker: '<!-- serving-gate comment 0123456789abcdef -->',
  runUrl: 'https://github.com/example/serving-configs/actions/runs/42',
  identity: 'workflow gate, job serving',
};

describe.each(FIXTURES)('the %s results file', (name) => {
  const results = fixture(name);

  it('renders the job summary as its golden file, with Mermaid that parses', async () => {
    const summary = renderSummary(results);
    expectGolden(`${name}.summary.md.golden`, summary);
    for (const block of mermaidBlocks(summary)) {
      await expect(parseMermaid(block)).resolves.toMatchObject({ diagramType: 'xychart' });
    }
  });

  it('renders the PR comment as its golden file', async () => {
    const comment = renderComment(results, COMMENT);
    expectGolden(`${name}.comment.md.golden`, comment);
    for (const block of mermaidBlocks(comment)) {
      await expect(parseMermaid(block)).resolves.toMatchObject({ diagramType: 'xychart' });
    }
  });

  it('renders JUnit XML as its golden file, valid against the schema', async () => {
    const xml = renderJUnit(results);
    expectGolden(`${name}.junit.xml.golden`, xml);
    const check = await validateXML({
      xml: { fileName: `${name}.junit.xml`, contents: xml },
      schema: { fileName: 'junit.xsd', contents: XSD },
    });
    expect(check.errors).toEqual([]);
    expect(check.valid).toBe(true);
  });

  it('renders the terminal report as its golden file', () => {
    expectGolden(`${name}.text.golden`, renderText(results, { colour: false }));
  });
});

describe('the golden checks themselves', () => {
  it('see a chart whose syntax is broken', async () => {
    const summary = renderSummary(fixture('fail'));
    const [block] = mermaidBlocks(summary);
    expect(block).toBeDefined();
    await expect(parseMermaid(block!.replace('x-axis', 'x-axes'))).rejects.toThrow();
  });

  it('see JUnit that breaks the schema', async () => {
    const xml = renderJUnit(fixture('fail'))
      .replace('<failure ', '<failed ')
      .replace('</failure>', '</failed>');
    const check = await validateXML({
      xml: { fileName: 'broken.xml', contents: xml },
      schema: { fileName: 'junit.xsd', contents: XSD },
    });
    expect(check.valid).toBe(false);
  });
});
