// A node's overview: conditions, capacity against what its pods request, addresses, system info,
// and the pods it runs (live).
import { kindByPlural } from '../../api/kinds';
import type { Node, Pod } from '../../api/types';
import { Conditions, Facts, ObjectMeta } from '../../components/Meta';
import { ToneText } from '../../components/Tone';
import { formatBytes, formatCpu, parseQuantity } from '../../format/quantity';
import { useWatchList } from '../../hooks/use-watch-list';
import { sortByNamespaceName } from '../../hooks/watch-reducer';
import { UsageSparklines } from '../graphs/Sparklines';
import { podSummary, podTone } from '../pods/columns';
import type { DetailsProps } from '../resources/details-props';
import { nodeStatus, nodeTone, requested } from './columns';
import { MiniTable } from '../../components/MiniTable';

const PODS = kindByPlural('pods')!;

function share(used: number, total: number): string {
  return total > 0 && Number.isFinite(total) ? ` (${Math.round((used / total) * 100)}%)` : '';
}

/** Overview of a node. */
export function NodeDetails({ cluster, obj, navigate }: DetailsProps<Node>) {
  const pods = useWatchList<Pod>(cluster, PODS, '', `fieldSelector=${encodeURIComponent(`spec.nodeName=${obj.metadata.name}`)}`);
  const alloc = obj.status?.allocatable ?? {};
  const cap = obj.status?.capacity ?? {};
  const cpuReq = requested(pods.items, 'cpu');
  const memReq = requested(pods.items, 'memory');
  const cpuAlloc = parseQuantity(alloc.cpu);
  const memAlloc = parseQuantity(alloc.memory);
  const info = obj.status?.nodeInfo ?? {};
  return (
    <>
      <Facts
        label="Node status"
        rows={[
          ['Status', <ToneText key="s" tone={nodeTone(obj)}>{nodeStatus(obj)}</ToneText>],
          ['Addresses', (obj.status?.addresses ?? []).map((a) => `${a.type}: ${a.address}`).join(', ')],
          ['Pod CIDR', obj.spec?.podCIDR],
          ['Taints', (obj.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') || undefined],
          ['Kubelet', info.kubeletVersion],
          ['OS image', info.osImage],
          ['Runtime', info.containerRuntimeVersion],
        ]}
      />
      <MiniTable caption="Resources" headers={['Resource', 'Capacity', 'Allocatable', 'Requested by pods']} testId="node-resources">
          <tr>
            <td>CPU</td>
            <td>{cap.cpu ?? '?'}</td>
            <td>{alloc.cpu ?? '?'}</td>
            <td>
              {formatCpu(cpuReq)}
              {share(cpuReq, cpuAlloc)}
            </td>
          </tr>
          <tr>
            <td>Memory</td>
            <td>{cap.memory ? formatBytes(parseQuantity(cap.memory)) : '?'}</td>
            <td>{alloc.memory ? formatBytes(parseQuantity(alloc.memory)) : '?'}</td>
            <td>
              {formatBytes(memReq)}
              {share(memReq, memAlloc)}
            </td>
          </tr>
          <tr>
            <td>Pods</td>
            <td>{cap.pods ?? '?'}</td>
            <td>{alloc.pods ?? '?'}</td>
            <td>{pods.listed ? pods.items.length : '…'}</td>
          </tr>
      </MiniTable>
      <UsageSparklines cluster={cluster} node={obj.metadata.name} />
      <Conditions conditions={obj.status?.conditions} />
      <h3 className="section-title">Pods on this node</h3>
      {!pods.listed ? (
        <p className="muted">Loading pods…</p>
      ) : pods.items.length === 0 ? (
        <p className="muted">No pods run here.</p>
      ) : (
        <ul className="plain-list">
          {sortByNamespaceName(pods.items).map((p) => (
            <li key={p.metadata.uid ?? p.metadata.name}>
              <button
                type="button"
                className="link-button"
                onClick={() => navigate({ view: 'resources', kind: 'pods', namespace: p.metadata.namespace ?? '', name: `${p.metadata.namespace}/${p.metadata.name}` })}
              >
                {p.metadata.namespace}/{p.metadata.name}
              </button>{' '}
              <ToneText tone={podTone(p)}>{podSummary(p).status}</ToneText>
            </li>
          ))}
        </ul>
      )}
      <ObjectMeta obj={obj} />
    </>
  );
}
