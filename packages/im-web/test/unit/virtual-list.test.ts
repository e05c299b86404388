import { describe, expect, it } from 'vitest';
import { h } from 'vue';
import { mount } from '@vue/test-utils';
import VirtualList from '../../src/components/common/VirtualList.vue';

interface Row {
  id: number;
}

describe('VirtualList', () => {
  it('keeps the DOM small for 10,000 rows and reserves their height', async () => {
    const items: Row[] = Array.from({ length: 10_000 }, (_, i) => ({ id: i }));
    const w = mount(VirtualList, {
      props: { items, itemKey: (r: unknown) => String((r as Row).id), estimate: 50, overscan: 200 },
      slots: {
        default: ({ item }: { item: unknown }) => h('div', { class: 'row' }, `row ${(item as Row).id}`),
      },
      attachTo: document.body,
    });
    await w.vm.$nextTick();
    const rendered = w.findAll('.row').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(60);
    const spacers = w.findAll('.vlist > div').filter((d) => !d.attributes('data-vkey'));
    const reserved = spacers.reduce(
      (n, d) => n + parseFloat(d.attributes('style')?.match(/height: ([\d.]+)px/)?.[1] ?? '0'),
      0,
    );
    expect(reserved + rendered * 50).toBe(10_000 * 50);
    w.unmount();
  });

  it('updates when rows are appended without re-rendering everything', async () => {
    const items: Row[] = Array.from({ length: 100 }, (_, i) => ({ id: i }));
    const w = mount(VirtualList, {
      props: { items, itemKey: (r: unknown) => String((r as Row).id), estimate: 50, overscan: 0 },
      slots: {
        default: ({ item }: { item: unknown }) => h('div', { class: 'row' }, `row ${(item as Row).id}`),
      },
    });
    await w.setProps({ items: [...items, { id: 100 }] });
    expect(w.findAll('.row').length).toBeLessThan(30);
    w.unmount();
  });
});
