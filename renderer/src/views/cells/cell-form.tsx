/*
 * Add / edit a cell profile. Validation happens in main with core's rules; what comes back is
 * shown next to the field it concerns.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type InputHTMLAttributes } from 'react';
import type { CellFormField, CellProfileForm, CellSaveResult } from '../../../../electron/ipc/contract/channels';
import type { IpcError, IpcResult } from '../../../../electron/ipc/contract/domain';
import { ErrorView } from '../../components/error-view';
import { PathField } from '../../components/path-field';

export const EMPTY_CELL_FORM: CellProfileForm = { name: '', destination: '', port: '', identityFile: '', root: '', sshConfig: '', groups: '' };

const FIELDS: { field: CellFormField; label: string; hint: string; placeholder?: string }[] = [
  { field: 'name', label: 'Name', hint: 'How this cell is called in the app and in receipts.' },
  { field: 'destination', label: 'SSH destination', hint: 'user@host, or a Host alias from your ssh config — exactly what you would type after ssh.', placeholder: 'admin@cell.example.org' },
  { field: 'port', label: 'Port', hint: 'Optional; empty uses your ssh config or 22.', placeholder: '22' },
  { field: 'identityFile', label: 'Identity file', hint: 'Optional path to a private key file on this computer. Only the path is handed to ssh; the key never reaches this window.', placeholder: '~/.ssh/id_ed25519' },
  { field: 'root', label: 'PIC root', hint: 'Optional; empty means /opt/pic. Any other root is flagged on the cell.', placeholder: '/opt/pic' },
  { field: 'sshConfig', label: 'SSH config file', hint: 'Optional extra config for ssh -F.', placeholder: '~/.ssh/config' },
  { field: 'groups', label: 'Groups', hint: 'Optional; names separated by commas. The Fleet view selects cells by group (an Ansible inventory’s groups).', placeholder: 'east, web' },
];

/** The fields that name a file on this computer: a dialog can fill them, or a dropped file. */
const FILE_FIELDS: Partial<Record<CellFormField, { purpose: 'identity-file' | 'ssh-config'; label: string }>> = {
  identityFile: { purpose: 'identity-file', label: 'Choose the identity file' },
  sshConfig: { purpose: 'ssh-config', label: 'Choose the SSH config file' },
};

export function CellForm({ title, initial, submitLabel, onSubmit, onDone }: {
  title: string;
  initial: CellProfileForm;
  submitLabel: string;
  onSubmit: (form: CellProfileForm) => Promise<IpcResult<CellSaveResult>>;
  onDone: () => void;
}) {
  const [form, setForm] = useState<CellProfileForm>(initial);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<CellFormField, string>>>({});
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const setField = (field: CellFormField, value: string) => setForm((f) => ({ ...f, [field]: value }));
  const formRef = useRef<HTMLFormElement>(null);
  // Opening the form puts the caret in its first field; a refused submit moves it to the first
  // field main marked invalid, so keyboard and screen-reader users land on what needs fixing.
  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, []);
  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus();
  }, [fieldErrors]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await onSubmit(form);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    if (r.data.saved) return onDone();
    setFieldErrors(r.data.fieldErrors);
  };

  return (
    <form ref={formRef} className="cell-form" aria-labelledby={`${uid}-title`} onSubmit={(e) => void submit(e)} noValidate>
      <h3 id={`${uid}-title`}>{title}</h3>
      {FIELDS.map(({ field, label, hint, placeholder }) => {
        const id = `${uid}-${field}`;
        const problem = fieldErrors[field];
        const file = FILE_FIELDS[field];
        const attrs: InputHTMLAttributes<HTMLInputElement> = {
          id,
          name: field,
          className: problem ? 'input input--invalid' : 'input',
          placeholder,
          autoComplete: 'off',
          spellCheck: false,
          inputMode: field === 'port' ? 'numeric' : undefined,
          'aria-invalid': problem ? true : undefined,
          'aria-describedby': `${id}-hint${problem ? ` ${id}-error` : ''}`,
        };
        return (
          <div className="cell-form__row" key={field}>
            <label htmlFor={id}>{label}</label>
            {file ? (
              <span className="cell-form__path">
                <PathField {...attrs} value={form[field] ?? ''} onChange={(v) => setField(field, v)} purpose={file.purpose} chooseLabel={file.label} droppable />
              </span>
            ) : (
              <input {...attrs} value={form[field] ?? ''} onChange={(e) => setField(field, e.target.value)} />
            )}
            <span id={`${id}-hint`} className="cell-form__hint">
              {hint}
            </span>
            {problem && (
              <span id={`${id}-error`} className="cell-form__error" data-testid={`field-error-${field}`}>
                {problem}
              </span>
            )}
          </div>
        );
      })}
      {error && <ErrorView error={error} title="The profile could not be saved" />}
      <div className="cell-form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
