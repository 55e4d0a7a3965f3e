// A Service's overview: addresses, ports with their host URLs, selector, and the pods it selects (live).
import { kindByPlural } from '../../api/kinds';
import type { Pod, Service } from '../../api/types';
import { Facts, KeyValues, ObjectMeta } from '../../components/Meta';
import { ToneText } from '../../components/Tone';
import { useWatchList } from '../../hooks/use-watch-list';
import { sortByNamespaceName } from '../../hooks/watch-reducer';
import { podIP, podSummary, podTone } from '../pods/columns';
import type { DetailsProps } from '../resources/details-props';
import { clusterIP, externalIP, hostUrls, selects, servicePorts } from './columns';

const PODS = kindByPlural('pods')!;

/** Overview of a Service. */
export function ServiceDetails({ cluster, obj }: DetailsProps<Service>) {
  const pods = useWatchList<Pod>(cluster, PODS, obj.metadata.namespace ?? 'default');
  const selected = sortByNamespaceName(pods.items.filter((p) => selects(obj.spec?.selector, p.metadata.labels)));
  const urls = hostUrls(obj);
  return (
    <>
      <Facts
        label="Service"
        rows={[
          ['Type', obj.spec?.type ?? 'ClusterIP'],
          ['Cluster IP', clusterIP(obj)],
          ['External IP', externalIP(obj)],
          ['Ports', servicePorts(obj)],
          [
            'From the host',
            urls.length ? (
              <span key="u">
                {urls.map((u) => (
                  <a key={u.href} className="cell-link" href={u.href} target="_blank" rel="noreferrer noopener">
                    {u.href}
                  </a>
                ))}
              </span>
            ) : undefined,
          ],
          ['Selector', <KeyValues key="s" map={obj.spec?.selector} />],
        ]}
      />
      <h3 className="section-title">Selected pods</h3>
      {!obj.spec?.selector || !Object.keys(obj.spec.selector).length ? (
        <p className="muted">This Service has no selector: its endpoints are managed by hand.</p>
      ) : !pods.listed ? (
        <p className="muted">Loading pods…</p>
      ) : selected.length === 0 ? (
        <p className="muted">No pod matches the selector, so the Service has no endpoints.</p>
      ) : (
        <ul className="plain-list" data-testid="service-pods">
          {selected.map((p) => (
            <li key={p.metadata.uid ?? p.metadata.name}>
              {p.metadata.name} <span className="muted">{podIP(p) ?? 'no IP yet'}</span> <ToneText tone={podTone(p)}>{podSummary(p).status}</ToneText>
            </li>
          ))}
        </ul>
      )}
      <ObjectMeta obj={obj} />
    </>
  );
}
