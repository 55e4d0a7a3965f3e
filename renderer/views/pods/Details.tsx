// A pod's overview: status, where it runs, its containers with state and a logs link each.
import type { ContainerStatus, Pod } from '../../api/types';
import { Conditions, Facts, ObjectMeta } from '../../components/Meta';
import { ToneText } from '../../components/Tone';
import { UsageSparklines } from '../graphs/Sparklines';
import type { DetailsProps } from '../resources/details-props';
import { openTerminalRoute } from '../terminal/terminal-target';
import { podIP, podSummary, podTone } from './columns';
import { MiniTable } from '../../components/MiniTable';

function stateText(s: ContainerStatus | undefined): string {
  if (!s?.state) return 'unknown';
  if (s.state.running) return 'running';
  if (s.state.waiting) return `waiting: ${s.state.waiting.reason ?? ''}`;
  const t = s.state.terminated;
  return t ? `terminated: ${t.reason ?? `exit code ${t.exitCode ?? '?'}`}` : 'unknown';
}

/** Overview of a pod. */
export function PodDetails({ cluster, obj, navigate }: DetailsProps<Pod>) {
  const summary = podSummary(obj);
  const statuses = new Map([...(obj.status?.initContainerStatuses ?? []), ...(obj.status?.containerStatuses ?? [])].map((s) => [s.name, s]));
  const containers = [...(obj.spec?.initContainers ?? []).map((c) => ({ ...c, init: true })), ...(obj.spec?.containers ?? []).map((c) => ({ ...c, init: false }))];
  return (
    <>
      <Facts
        label="Pod status"
        rows={[
          ['Status', <ToneText key="s" tone={podTone(obj)}>{summary.status}</ToneText>],
          ['Ready', `${summary.ready}/${summary.total}`],
          ['Restarts', String(summary.restarts)],
          ['Node', obj.spec?.nodeName ?? 'not scheduled yet'],
          ['Pod IP', podIP(obj)],
          ['Host IP', obj.status?.hostIP],
          ['Message', obj.status?.message],
        ]}
      />
      <UsageSparklines cluster={cluster} node={obj.spec?.nodeName} pod={`${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`} />
      <MiniTable caption="Containers" headers={['Name', 'Image', 'State', 'Ready', 'Restarts', 'Logs']} testId="pod-containers">
          {containers.map((c) => {
            const s = statuses.get(c.name);
            return (
              <tr key={c.name}>
                <td>
                  {c.name}
                  {c.init && <span className="badge">init</span>}
                </td>
                <td className="wrap">{c.image}</td>
                <td>{stateText(s)}</td>
                <td>{s?.ready ? 'yes' : 'no'}</td>
                <td>{s?.restartCount ?? 0}</td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Logs of container ${c.name}`}
                    onClick={() => navigate({ view: 'logs', namespace: obj.metadata.namespace ?? 'default', pod: obj.metadata.name, container: c.name, name: undefined })}
                  >
                    Logs
                  </button>
                  {!c.init && s?.state?.running && (
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`Exec into container ${c.name}`}
                      onClick={() => navigate(openTerminalRoute({ kind: 'pod', namespace: obj.metadata.namespace ?? 'default', pod: obj.metadata.name, container: c.name }))}
                      data-testid="pod-exec"
                    >
                      Exec
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
      </MiniTable>
      <Conditions conditions={obj.status?.conditions} />
      <ObjectMeta obj={obj} />
    </>
  );
}
