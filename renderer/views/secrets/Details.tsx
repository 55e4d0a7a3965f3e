// A Secret's overview: its keys, with values hidden until the user reveals them.
import { Facts, ObjectMeta } from '../../components/Meta';
import type { DetailsProps } from '../resources/details-props';
import { decodeSecretValue, type Secret } from './columns';

/** Overview of a Secret. */
export function SecretDetails({ obj, revealed, setRevealed }: DetailsProps<Secret>) {
  const data = Object.entries(obj.data ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <Facts label="Secret" rows={[['Type', obj.type ?? 'Opaque']]} />
      <div className="section-row">
        <h3 className="section-title">Data ({data.length})</h3>
        <button type="button" data-testid="secret-reveal" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
          {revealed ? 'Hide values' : 'Reveal values'}
        </button>
      </div>
      {data.length === 0 ? (
        <p className="muted">No data.</p>
      ) : (
        <dl className="facts secret-values" data-testid="secret-values">
          {data.map(([k, v]) => {
            const text = revealed ? decodeSecretValue(v) : undefined;
            return (
              <div key={k} className="fact">
                <dt>{k}</dt>
                <dd>
                  {!revealed ? (
                    <span className="muted" aria-label="hidden value">
                      •••••• ({Math.floor((v.length * 3) / 4)} bytes)
                    </span>
                  ) : text !== undefined ? (
                    <pre className="code inline-code">{text}</pre>
                  ) : (
                    <span className="muted">binary data (base64: {v.slice(0, 60)}…)</span>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
      <ObjectMeta obj={obj} />
    </>
  );
}
