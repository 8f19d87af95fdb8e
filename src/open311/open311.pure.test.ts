import { describe, expect, it } from 'vitest';
import { containsHtml, validateAnswers } from './open311.answers.js';
import { attributeFields, parseFormBody } from './open311.form.js';
import { validateQuestions, type Question } from './open311.questions.js';
import { parseW3cDatetime } from '../time/zoned-time.js';
import { toXmlDocument } from './open311.xml.js';

const questions: Question[] = [
  { code: 'kind', datatype: 'singlevaluelist', required: true, order: 1, description: '种类', values: [{ key: 'a', name: 'A' }, { key: 'b', name: 'B' }] },
  { code: 'tags', datatype: 'multivaluelist', required: false, order: 2, description: '标签', values: [{ key: 'x', name: 'X' }, { key: 'y', name: 'Y' }] },
  { code: 'n', datatype: 'number', required: false, order: 3, description: '数量' },
  { code: 'when', datatype: 'datetime', required: false, order: 4, description: '时间' },
  { code: 'line', datatype: 'string', required: false, order: 5, description: '单行' },
  { code: 'para', datatype: 'text', required: false, order: 6, description: '多行' },
  { code: 'info', datatype: 'text', required: false, order: 7, description: '说明', variable: false },
];

describe('attribute answers', () => {
  it('reads attribute[CODE] and attribute[CODE][] from a form body', () => {
    const fields = parseFormBody('attribute%5Bkind%5D=a&attribute[tags][]=x&attribute[tags][]=y&attribute[n]=+3.5&other=1');
    expect(attributeFields(fields)).toEqual({ kind: 'a', tags: ['x', 'y'], n: ' 3.5' });
  });

  it('accepts valid answers of the six datatypes and ignores unknown and informational codes', () => {
    const { answers, problems } = validateAnswers(questions, { kind: 'a', tags: ['x', 'y', 'x'], n: '3.5', when: '2026-11-26T10:00:00+08:00', line: 'one line', para: 'two\nlines', info: 'ignored', extra: 'ignored' }, 'Asia/Shanghai');
    expect(problems).toEqual([]);
    expect(answers).toEqual({ kind: 'a', tags: ['x', 'y'], n: 3.5, when: '2026-11-26T10:00:00+08:00', line: 'one line', para: 'two\nlines' });
  });

  it('lists every problem, each naming its attribute', () => {
    const { problems } = validateAnswers(questions, { tags: 'z', n: '1e', when: '26/11/2026', line: 'a\nb', para: '<img src=x>' }, 'Asia/Shanghai');
    expect(problems.map((p) => p.field)).toEqual(['attribute[kind]', 'attribute[tags]', 'attribute[n]', 'attribute[when]', 'attribute[line]', 'attribute[para]']);
  });

  it('spots HTML but not plain text with angle brackets', () => {
    expect(containsHtml('a <b>bold</b> claim')).toBe(true);
    expect(containsHtml('<!-- x -->')).toBe(true);
    expect(containsHtml('3 < 4 and 5 > 2')).toBe(false);
  });
});

describe('question lists', () => {
  it('sorts by order and fills optional fields', () => {
    const out = validateQuestions([questions[2], questions[0]]);
    expect(out.map((q) => q.code)).toEqual(['kind', 'n']);
    expect(out[1].datatype_description).toBeNull();
  });

  it('refuses duplicates, missing options and misplaced ones', () => {
    const bad: Question[] = [
      { code: 'a', datatype: 'singlevaluelist', required: true, order: 1, description: 'x' },
      { code: 'a', datatype: 'number', required: false, order: 1, description: 'y', values: [{ key: 'k', name: 'K' }] },
      { code: 'c', datatype: 'text', required: true, order: 2, description: 'z', variable: false },
    ];
    const err = (() => {
      try {
        validateQuestions(bad);
      } catch (e) {
        return e as { code: string; details: { problems: { field: string }[] } };
      }
      throw new Error('validateQuestions accepted a bad list');
    })();
    expect(err.code).toBe('validation_failed');
    expect(err.details.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['questions[0].values', 'questions[1].values', 'questions[2].required', 'questions']));
  });
});

describe('W3C datetimes', () => {
  it('reads offsets, Z, compact offsets, dates, local times and a + turned into a space', () => {
    const utc = '2026-11-26T02:00:00.000Z';
    for (const text of ['2026-11-26T10:00:00+08:00', '2026-11-26T02:00:00Z', '2026-11-26T10:00:00+0800', '2026-11-26T10:00:00 08:00', '2026-11-26T10:00', '2026-11-26T10:00:00.000000+08:00']) {
      expect(parseW3cDatetime(text, 'Asia/Shanghai')?.toISOString(), text).toBe(utc);
    }
    expect(parseW3cDatetime('2026-11-26', 'Asia/Shanghai')?.toISOString()).toBe('2026-11-25T16:00:00.000Z');
    for (const text of ['yesterday', '2026-13-01', '2026-11-26T25:00:00Z']) expect(parseW3cDatetime(text, 'Asia/Shanghai'), text).toBeNull();
  });
});

describe('XML conversion', () => {
  it('wraps arrays in their plural, escapes text and writes null as an empty element', () => {
    expect(toXmlDocument('services', [{ service_code: '001', metadata: true, group: null, keywords: 'a&b <c>', skipped: undefined }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<services><service><service_code>001</service_code><metadata>true</metadata><group/><keywords>a&amp;b &lt;c&gt;</keywords></service></services>\n',
    );
    expect(toXmlDocument('errors', [])).toBe('<?xml version="1.0" encoding="utf-8"?>\n<errors/>\n');
  });
});
