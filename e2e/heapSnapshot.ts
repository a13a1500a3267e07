import { readFileSync } from 'node:fs';

/**
 * What grew between two V8 heap snapshots, summed by self size. DevTools' comparison
 * view shows the same, but only by hand; the soak prints it so its figures come from
 * a command. Written here because the format is a flat array documented only in V8
 * (snapshot.meta names the fields), and a summary needs just one pass over the nodes.
 */
interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface Growth { key: string; bytes: number; count: number }

/** Self size and count per kind ("code", "object Object", "native system / WeakArrayList", …) and per plain-object shape. */
function summarize(path: string) {
  const s = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const { node_fields: nf, node_types, edge_fields: ef, edge_types } = s.snapshot.meta;
  const [nodeTypes, edgeTypes] = [node_types[0], edge_types[0]];
  const type = nf.indexOf('type'), name = nf.indexOf('name'), size = nf.indexOf('self_size'), edgeCount = nf.indexOf('edge_count');
  const edgeType = ef.indexOf('type'), edgeName = ef.indexOf('name_or_index');
  const kinds = new Map<string, Growth>();
  const shapes = new Map<string, Growth>();
  const add = (m: Map<string, Growth>, key: string, bytes: number) => {
    const g = m.get(key) ?? { key, bytes: 0, count: 0 };
    g.bytes += bytes;
    g.count++;
    m.set(key, g);
  };
  let e = 0;
  // The arrays are dense and the indices come from the snapshot's own meta.
  const node = (i: number) => s.nodes[i]!;
  const edge = (i: number) => s.edges[i]!;
  for (let i = 0; i < s.nodes.length; i += nf.length) {
    const t = nodeTypes[node(i + type)]!;
    const nodeName = s.strings[node(i + name)]!;
    // Strings, numbers and code are many distinct names: one kind each.
    add(kinds, /string|number|code/.test(t) ? t : `${t} ${nodeName}`.slice(0, 80), node(i + size));
    const props: string[] = [];
    for (let k = node(i + edgeCount); k > 0; k--, e += ef.length) {
      if (edgeTypes[edge(e + edgeType)] === 'property') props.push(s.strings[edge(e + edgeName)]!);
    }
    if (t === 'object' && nodeName === 'Object') add(shapes, `{${props.filter(p => p !== '__proto__').sort().join(', ')}}`.slice(0, 80), node(i + size));
  }
  return { kinds, shapes };
}

function diff(a: Map<string, Growth>, b: Map<string, Growth>): Growth[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys]
    .map(key => ({ key, bytes: (b.get(key)?.bytes ?? 0) - (a.get(key)?.bytes ?? 0), count: (b.get(key)?.count ?? 0) - (a.get(key)?.count ?? 0) }))
    .filter(g => g.bytes !== 0 || g.count !== 0);
}

/** Growth from `before` to `after`: total bytes, the kinds that changed most, and the plain-object shapes that gained most instances. */
export function heapGrowth(before: string, after: string, top = 8) {
  const [a, b] = [summarize(before), summarize(after)];
  const kinds = diff(a.kinds, b.kinds);
  return {
    bytes: kinds.reduce((sum, g) => sum + g.bytes, 0),
    kinds: kinds.sort((x, y) => Math.abs(y.bytes) - Math.abs(x.bytes)).slice(0, top),
    shapes: diff(a.shapes, b.shapes).sort((x, y) => y.count - x.count).slice(0, top),
  };
}
