import { describe, expect, it } from 'vitest';
import { hotlineFlow } from './hotline.flow.js';
import { urbanFlow } from './urban.flow.js';
import { actionLabel } from './workflow.engine.js';
import { MERMAID_ANY, MERMAID_PREVIOUS, toMermaid } from './workflow.mermaid.js';

describe('toMermaid', () => {
  it.each([urbanFlow, hotlineFlow])('draws every state and every transition of $id', (def) => {
    const lines = toMermaid(def).split('\n');
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines).toContain(`  [*] --> ${def.initial}`);
    for (const [id, state] of Object.entries(def.states)) expect(lines).toContain(`  state "${state.label} ${id}" as ${id}`);
    for (const t of def.transitions) {
      for (const from of t.from === '*' ? [MERMAID_ANY] : t.from) {
        const to = t.to === '$same' ? from : t.to === '$previous' ? MERMAID_PREVIOUS : t.to;
        expect(lines.filter((l) => l.startsWith(`  ${from} --> ${to}: ${t.action}`)), `${t.action} from ${from}`).toHaveLength(1);
      }
    }
  });

  it('uses the flow’s own label for an action', () => {
    expect(toMermaid(hotlineFlow)).toContain('  accepted --> dispatched: dispatch 派单\n');
    expect(toMermaid(urbanFlow)).toContain('  registered --> dispatched: dispatch 派遣\n');
    expect([actionLabel(hotlineFlow, 'dispatch'), actionLabel(urbanFlow, 'dispatch'), actionLabel(urbanFlow, 'mediate')]).toEqual(['派单', '派遣', 'mediate']);
  });
});
