// A ConfigMap's overview: each key with its value.
import { ObjectMeta } from '../../components/Meta';
import type { DetailsProps } from '../resources/details-props';
import type { ConfigMap } from './columns';

/** Overview of a ConfigMap. */
export function ConfigMapDetails({ obj }: DetailsProps<ConfigMap>) {
  const data = Object.entries(obj.data ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const binary = Object.keys(obj.binaryData ?? {});
  return (
    <>
      <h3 className="section-title">Data</h3>
      {data.length === 0 && binary.length === 0 && <p className="muted">No data.</p>}
      <dl className="facts">
        {data.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>
              <pre className="code inline-code">{v}</pre>
            </dd>
          </div>
        ))}
        {binary.map((k) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd className="muted">binary data</dd>
          </div>
        ))}
      </dl>
      <ObjectMeta obj={obj} />
    </>
  );
}
