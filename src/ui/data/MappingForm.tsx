/**
 * Which column is what, for formats that do not fix it (generic CSV/TSV, split
 * folders, Amazon JSON field names). Starts from detection's guesses; every
 * change produces a new ColumnMapping that goes into the preprocessing config.
 */
import type { JSX } from 'react';
import type { Detection } from '../../core/data/detect';
import type { ColumnMapping, DelimitedInteractionMapping, ItemMetaMapping, JsonInteractionFields } from '../../core/data/formats/columns';
import { columnOptions, DELIMITERS, mappingKind, rebaseMapping, refToValue, valueToRef } from './mapping';

type Props = { detection: Detection; mapping: ColumnMapping; disabled: boolean; onChange(m: ColumnMapping): void };

function DelimiterSelect(props: { value: string; name: string; onChange(v: string): void }): JSX.Element {
  const known = DELIMITERS.some(d => d.value === props.value);
  return (
    <label>
      <span>Delimiter</span>
      <select name={props.name} value={props.value} onChange={e => props.onChange(e.currentTarget.value)}>
        {DELIMITERS.map(d => (
          <option key={d.label} value={d.value}>{d.label}</option>
        ))}
        {!known && <option value={props.value}>{JSON.stringify(props.value)}</option>}
      </select>
    </label>
  );
}

function ColumnSelect(props: { label: string; name: string; value: string; options: { value: string; label: string }[]; optional?: boolean; onChange(v: string): void }): JSX.Element {
  const has = props.options.some(o => o.value === props.value);
  return (
    <label>
      <span>{props.label}</span>
      <select name={props.name} value={props.value} onChange={e => props.onChange(e.currentTarget.value)}>
        {props.optional && <option value="">— none —</option>}
        {props.options.map(o => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
        {!has && props.value !== '' && <option value={props.value}>{props.value}</option>}
      </select>
    </label>
  );
}

function DelimitedForm({ detection, mapping, disabled, onChange }: Props): JSX.Element {
  const m: DelimitedInteractionMapping = mapping.interactions ?? { delimiter: ',', header: true, user: 0, item: 1 };
  const preview = detection.preview.find(p => p.role === 'interactions');
  const opts = columnOptions(preview, m.header);
  const set = (patch: Partial<DelimitedInteractionMapping>) => onChange({ ...mapping, interactions: { ...m, ...patch } });
  const setRole = (role: 'user' | 'item' | 'rating' | 'timestamp') => (v: string) => {
    const next: DelimitedInteractionMapping = { ...m };
    const ref = valueToRef(v, m.header);
    if (ref === undefined) delete next[role as 'rating' | 'timestamp'];
    else next[role] = ref;
    onChange({ ...mapping, interactions: next });
  };
  const files = [...detection.files.map(f => f.name), ...detection.ignored];
  const items: ItemMetaMapping | undefined = mapping.items;
  const setItems = (patch: Partial<ItemMetaMapping> | null) => {
    const next: ColumnMapping = { ...mapping };
    if (patch === null) delete next.items;
    else next.items = { delimiter: ',', header: true, id: 0, ...items, ...patch } as ItemMetaMapping;
    onChange(next);
  };
  const itemPreview = items ? detection.preview.find(p => p.file === items.file) : undefined;
  const itemOpts = columnOptions(itemPreview, items?.header ?? true);
  const itemField = (key: 'id' | 'title' | 'description' | 'categories', label: string) =>
    itemOpts.length ? (
      <ColumnSelect label={label} name={`items-${key}`} value={refToValue(items?.[key])} options={itemOpts} optional={key !== 'id'} onChange={v => setItems({ [key]: valueToRef(v, items?.header ?? true) })} />
    ) : (
      <label>
        <span>{label} (column name or number from 0)</span>
        <input name={`items-${key}`} value={refToValue(items?.[key])} onChange={e => setItems({ [key]: valueToRef(e.currentTarget.value, items?.header ?? true) })} />
      </label>
    );
  return (
    <>
      <fieldset className="form" disabled={disabled} data-testid="data-mapping">
        <legend>Interactions{preview ? ` (${preview.file})` : ''}</legend>
        <DelimiterSelect name="delimiter" value={m.delimiter} onChange={v => set({ delimiter: v })} />
        <label>
          <span>First row is a header</span>
          <input type="checkbox" name="header" checked={m.header} onChange={e => onChange({ ...mapping, interactions: rebaseMapping(m, preview, e.currentTarget.checked) })} />
        </label>
        <ColumnSelect label="User column" name="col-user" value={refToValue(m.user)} options={opts} onChange={setRole('user')} />
        <ColumnSelect label="Item column" name="col-item" value={refToValue(m.item)} options={opts} onChange={setRole('item')} />
        <ColumnSelect label="Rating column" name="col-rating" value={refToValue(m.rating)} options={opts} optional onChange={setRole('rating')} />
        <ColumnSelect label="Timestamp column" name="col-timestamp" value={refToValue(m.timestamp)} options={opts} optional onChange={setRole('timestamp')} />
      </fieldset>
      {detection.format === 'generic' && (
        <fieldset className="form" disabled={disabled}>
          <legend>Item text (optional)</legend>
          <label>
            <span>Metadata file</span>
            <select name="items-file" value={items?.file ?? ''} onChange={e => setItems(e.currentTarget.value ? { file: e.currentTarget.value } : null)}>
              <option value="">— none —</option>
              {files.map(f => (
                <option key={f} value={f}>{f}</option>
              ))}
            </select>
          </label>
          {items && (
            <>
              <DelimiterSelect name="items-delimiter" value={items.delimiter} onChange={v => setItems({ delimiter: v })} />
              <label>
                <span>First row is a header</span>
                <input type="checkbox" name="items-header" checked={items.header} onChange={e => setItems({ header: e.currentTarget.checked })} />
              </label>
              {itemField('id', 'Item id')}
              {itemField('title', 'Title')}
              {itemField('description', 'Description')}
              {itemField('categories', 'Categories')}
              <label>
                <span>Between categories</span>
                <input name="items-sep" value={items.categorySeparator ?? '|'} onChange={e => setItems({ categorySeparator: e.currentTarget.value || '|' })} />
              </label>
            </>
          )}
        </fieldset>
      )}
    </>
  );
}

function JsonForm({ detection, mapping, disabled, onChange }: Props): JSX.Element {
  const j: JsonInteractionFields = mapping.json ?? { user: 'user_id', item: 'parent_asin' };
  const preview = detection.preview.find(p => p.role === 'interactions');
  const field = (key: keyof JsonInteractionFields, label: string) => (
    <label>
      <span>{label}</span>
      <input
        name={`json-${key}`}
        list="data-json-fields"
        value={j[key] ?? ''}
        onChange={e => {
          const v = e.currentTarget.value.trim();
          const next: JsonInteractionFields = { ...j };
          if (v) next[key] = v;
          else if (key === 'rating' || key === 'timestamp') delete next[key];
          onChange({ ...mapping, json: next });
        }}
      />
    </label>
  );
  return (
    <fieldset className="form" disabled={disabled} data-testid="data-mapping">
      <legend>JSON fields</legend>
      {field('user', 'User field')}
      {field('item', 'Item field')}
      {field('rating', 'Rating field')}
      {field('timestamp', 'Time field')}
      <datalist id="data-json-fields">
        {(preview?.columns ?? []).map(c => (
          <option key={c} value={c} />
        ))}
      </datalist>
    </fieldset>
  );
}

export function MappingForm(props: Props): JSX.Element | null {
  const kind = mappingKind(props.detection);
  if (kind === 'delimited') return <DelimitedForm {...props} />;
  if (kind === 'json') return <JsonForm {...props} />;
  return null;
}
