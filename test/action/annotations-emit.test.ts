import type { AnnotationProperties } from '@actions/core';
import { describe, expect, it } from 'vitest';
import { emitAnnotations } from '../../src/action/publish.js';
import { planAnnotations } from '../../src/report/annotations.js';
import { fixture } from '../report/load-fixture.js';

describe('emitAnnotations', () => {
  it('hands each annotation to core with its title, file and line', () => {
    const calls: [string, string, AnnotationProperties | undefined][] = [];
    const sink = {
      error: (message: string | Error, props?: AnnotationProperties) =>
        calls.push(['error', String(message), props]),
      warning: (message: string | Error, props?: AnnotationProperties) =>
        calls.push(['warning', String(message), props]),
    };
    emitAnnotations(planAnnotations(fixture('fail').reasons).annotations, sink);
    expect(calls).toHaveLength(7);
    expect(calls[0]).toEqual([
      'error',
      expect.stringMatching(/^Critical check long-context/),
      {
        title: 'serving-gate critical-check',
        file: 'serving/qwen3-30b-a3b-fp8-131k.yaml',
        startLine: 9,
      },
    ]);
    expect(calls[1]).toEqual([
      'error',
      expect.stringMatching(/^16 of 32 soak requests failed/),
      { title: 'serving-gate soak-failures' },
    ]);
    expect(calls[6]![0]).toBe('warning');
  });
});
