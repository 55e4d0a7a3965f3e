// The details drawer of the resource view: the object's overview, its YAML, an editor, its
// events and its actions, all following the live object. Escape closes it.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { isBuiltinKind, type KindInfo } from '../../api/kinds';
import type { KubeObject } from '../../api/types';
import type { Route } from '../../route';
import type { Secret } from '../secrets/columns';
import { maskSecret } from '../secrets/columns';
import { KIND_VIEWS } from '../registry';
import { Actions } from './Actions';
import { GenericDetails } from './GenericDetails';
import { ObjectEvents } from './ObjectEvents';
import { objectYaml } from './yaml-text';
import { YamlEditor } from './YamlEditor';

type Tab = 'overview' | 'yaml' | 'edit';
const TABS: { id: Tab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'yaml', label: 'YAML' },
  { id: 'edit', label: 'Edit' },
];

/** Props of the details drawer. */
export interface DetailsPaneProps {
  cluster: string;
  kind: KindInfo;
  /** The route's name of the object (namespace/name). */
  name: string;
  /** The live object; undefined when it is not (or no longer) in the list. */
  obj?: KubeObject;
  /** Whether the list has loaded (so a missing object is really gone). */
  listed: boolean;
  onClose(): void;
  navigate(p: Partial<Route>): void;
}

/** The drawer. */
export function DetailsPane({ cluster, kind, name, obj, listed, onClose, navigate }: DetailsPaneProps) {
  const [tab, setTab] = useState<Tab>('overview');
  const [revealed, setRevealed] = useState(false);
  const [managedFields, setManagedFields] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [name]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !(e.target as HTMLElement).closest('dialog')) {
      e.stopPropagation();
      onClose();
    }
  };
  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : undefined;
    if (!next) return;
    e.preventDefault();
    setTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  const isSecret = kind.plural === 'secrets';
  const Details = (isBuiltinKind(kind) ? KIND_VIEWS[kind.plural]?.Details : undefined) ?? GenericDetails;

  return (
    <aside className="drawer" aria-labelledby="drawer-title" data-testid="details-pane" onKeyDown={onKeyDown}>
      <header className="drawer-header">
        <h2 id="drawer-title" tabIndex={-1} ref={heading}>
          <span className="muted">{kind.kind}</span> {name}
        </h2>
        <button type="button" className="icon-button" aria-label="Close details" data-testid="details-close" onClick={onClose}>
          ×
        </button>
      </header>
      {!obj ? (
        <p className="empty" role="status">
          {listed ? `${kind.kind} ${name} does not exist (any more).` : `Loading ${kind.kind} ${name}…`}
        </p>
      ) : (
        <>
          <Actions key={obj.metadata.uid ?? name} cluster={cluster} kind={kind} obj={obj} navigate={navigate} />
          <div role="tablist" aria-label="Details views" className="tabs">
            {TABS.map((t) => (
              <button
                key={t.id}
                id={`tab-${t.id}`}
                type="button"
                role="tab"
                data-testid={`details-tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`panel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => setTab(t.id)}
                onKeyDown={onTabKey}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
            {tab === 'overview' && (
              <>
                <Details cluster={cluster} obj={obj} navigate={navigate} revealed={revealed} setRevealed={setRevealed} />
                <ObjectEvents cluster={cluster} obj={obj} />
              </>
            )}
            {tab === 'yaml' && (
              <>
                <div className="section-row">
                  <label className="checkbox">
                    <input type="checkbox" checked={managedFields} onChange={(e) => setManagedFields(e.target.checked)} /> Show managedFields
                  </label>
                  {isSecret && (
                    <button type="button" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
                      {revealed ? 'Hide values' : 'Reveal values'}
                    </button>
                  )}
                </div>
                <pre className="code yaml-view" data-testid="yaml-view" tabIndex={0}>
                  {objectYaml(kind, isSecret && !revealed ? maskSecret(obj as Secret) : obj, { managedFields })}
                </pre>
              </>
            )}
            {tab === 'edit' &&
              (isSecret && !revealed ? (
                <p className="empty">
                  Editing shows this Secret's values.{' '}
                  <button type="button" onClick={() => setRevealed(true)}>
                    Reveal values and edit
                  </button>
                </p>
              ) : (
                <YamlEditor key={obj.metadata.uid ?? name} cluster={cluster} kind={kind} obj={obj} />
              ))}
          </div>
        </>
      )}
    </aside>
  );
}
