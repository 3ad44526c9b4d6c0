import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderExposition } from './exposition.js';
import { mergeFamilies } from './merge-families.js';
import { MetricsRegistry } from './registry.js';

describe('renderExposition', () => {
  it('writes HELP and TYPE lines before each family, then its samples', () => {
    const r = new MetricsRegistry();
    r.counter('pf_pages_total', 'Pages landed').inc({ executor: '0' }, 3);
    r.gauge('pf_in_flight', 'In flight').set({}, 2);
    assert.equal(
      renderExposition(r.snapshot()),
      [
        '# HELP pf_pages_total Pages landed',
        '# TYPE pf_pages_total counter',
        'pf_pages_total{executor="0"} 3',
        '# HELP pf_in_flight In flight',
        '# TYPE pf_in_flight gauge',
        'pf_in_flight 2',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslash, double quote and line feed in label values, and backslash and line feed in HELP', () => {
    const r = new MetricsRegistry();
    r.counter('pf_x_total', 'a \\ back\nslash').inc({ error: 'say "hi"\\now\nthen' });
    const text = renderExposition(r.snapshot());
    assert.match(text, /^# HELP pf_x_total a \\\\ back\\nslash$/m);
    assert.ok(text.includes('pf_x_total{error="say \\"hi\\"\\\\now\\nthen"} 1\n'), text);
    assert.equal(text.split('\n').length, 4, 'no raw line feed survives');
  });

  it('renders a histogram as cumulative _bucket lines ending with le="+Inf", then _sum and _count', () => {
    const r = new MetricsRegistry();
    const h = r.histogram('pf_latency_seconds', 'Latency', [0.1, 1]);
    for (const v of [0.05, 0.1, 0.5, 3]) h.observe({ executor: '1' }, v);
    assert.deepEqual(renderExposition(r.snapshot()).trim().split('\n'), [
      '# HELP pf_latency_seconds Latency',
      '# TYPE pf_latency_seconds histogram',
      'pf_latency_seconds_bucket{executor="1",le="0.1"} 2',
      'pf_latency_seconds_bucket{executor="1",le="1"} 3',
      'pf_latency_seconds_bucket{executor="1",le="+Inf"} 4',
      'pf_latency_seconds_sum{executor="1"} 3.65',
      'pf_latency_seconds_count{executor="1"} 4',
    ]);
  });

  it('spells non-finite values as Prometheus does', () => {
    const r = new MetricsRegistry();
    const g = r.gauge('pf_g', 'g');
    g.set({ k: 'a' }, Infinity);
    g.set({ k: 'b' }, -Infinity);
    g.set({ k: 'c' }, NaN);
    assert.match(renderExposition(r.snapshot()), /pf_g\{k="a"\} \+Inf\npf_g\{k="b"\} -Inf\npf_g\{k="c"\} NaN\n/);
  });

  it('is empty without families', () => {
    assert.equal(renderExposition([]), '');
  });
});

describe('mergeFamilies', () => {
  it("puts the executors' series of a family under one HELP/TYPE", () => {
    const of = (executor: string, n: number) => {
      const r = new MetricsRegistry();
      r.counter('pf_pages_total', 'Pages').inc({ executor }, n);
      r.histogram('pf_h', 'H', [1]).observe({ executor }, 0.5);
      return r.snapshot();
    };
    const text = renderExposition(mergeFamilies([of('0', 2), of('1', 5)]));
    assert.equal(text.match(/# TYPE pf_pages_total counter/g)?.length, 1);
    assert.equal(text.match(/# TYPE pf_h histogram/g)?.length, 1);
    assert.match(text, /pf_pages_total\{executor="0"\} 2\npf_pages_total\{executor="1"\} 5\n/);
    assert.match(text, /pf_h_count\{executor="0"\} 1\n[^]*pf_h_count\{executor="1"\} 1\n/);
  });
});

describe('MetricsRegistry', () => {
  it('refuses invalid names, a reserved label, a decreasing counter and a name used twice', () => {
    const r = new MetricsRegistry();
    assert.throws(() => r.counter('pf-pages', 'x'), /invalid metric name/);
    const c = r.counter('pf_c_total', 'x');
    assert.throws(() => r.gauge('pf_c_total', 'x'), /registered twice/);
    assert.throws(() => c.inc({}, -1), /cannot add -1/);
    assert.throws(() => c.inc({ 'bad-label': 'v' }), /invalid label name/);
    assert.throws(() => r.histogram('pf_h', 'x', [1]).observe({ le: '1' }, 1), /invalid label name "le"/);
    assert.throws(() => r.histogram('pf_h2', 'x', [2, 1]), /increasing/);
  });

  it('keeps one series per label set whatever the order of the labels', () => {
    const r = new MetricsRegistry();
    const c = r.counter('pf_c_total', 'x');
    c.inc({ a: '1', b: '2' });
    c.inc({ b: '2', a: '1' });
    const [family] = r.snapshot();
    assert.equal(family.type !== 'histogram' && family.series.length, 1);
    assert.equal(family.type !== 'histogram' && family.series[0].value, 2);
  });
});
