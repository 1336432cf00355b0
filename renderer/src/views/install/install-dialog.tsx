/*
 * The install dialog: a modal `<dialog>` (the browser keeps focus inside it; Escape cancels
 * before the apply and is ignored during it, where Cancel aborts instead). Shows core's
 * pre-flight and outcome; a blocked plan ends with the reason and no Confirm button.
 */
import { useEffect, useRef } from 'react';
import { ErrorView } from '../../components/error-view';
import { LogPane } from '../../components/log-pane';
import { useCellsSlice } from '../../state/cells-slice';
import { useInstallsSlice } from '../../state/installs-slice';
import { InstallOutcomeView } from './install-outcome';
import { PreflightView } from './preflight-view';
import { ReviewPanel, reviewNeeds } from './review-panel';
import './install.css';

const PHASE_WORDS: Record<string, string> = {
  status: 'Reading the cell',
  verify: "Verifying the image under the cell's key",
  'cell-verify': "Running the cell's own cosign",
  confirm: 'Waiting for confirmation',
  lock: 'Taking the cell lock',
  stage: 'Staging',
  pull: 'Pulling by digest',
  swap: 'Swapping',
  up: 'Starting',
  rollback: 'Rolling back',
  done: 'Done',
  uninstall: 'Uninstalling',
};

export function InstallDialog() {
  const d = useInstallsSlice((s) => s.dialog);
  const error = useInstallsSlice((s) => s.error);
  const { chooseCell, plan, confirm, cancel, close, setConsent } = useInstallsSlice.getState();
  const profiles = useCellsSlice((s) => s.profiles);
  const cellsStatus = useCellsSlice((s) => s.status);
  const loadCells = useCellsSlice((s) => s.load);
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const open = d !== null;

  useEffect(() => {
    if (open && cellsStatus === 'idle') void loadCells();
  }, [open, cellsStatus, loadCells]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  useEffect(() => {
    if (!open) return;
    // While the modal is up, Escape belongs to it (its native cancel event), never to the page underneath.
    const swallow = (e: KeyboardEvent) => {
      if (e.key === 'Escape') e.stopPropagation();
    };
    window.addEventListener('keydown', swallow, true);
    return () => window.removeEventListener('keydown', swallow, true);
  }, [open]);
  useEffect(() => {
    if (d?.cellId === null && profiles.length === 1 && profiles[0]) chooseCell(profiles[0].id);
  }, [d?.cellId, profiles, chooseCell]);

  const step = d?.step;
  const review = d?.preflight?.summary.review ?? null;
  // The renderer only collects consent; main refuses an upgrade whose consent does not cover the review.
  const needs = review ? reviewNeeds(review) : { changes: false, signer: false };
  const consented = !!d && (!needs.changes || d.consent.acceptChanges) && (!needs.signer || d.consent.acceptSigner.trim() !== '');
  // The pre-flight lands on the safe choice (Cancel); the button is reused across steps, so
  // autoFocus alone would not move focus there.
  useEffect(() => {
    if (step === 'confirm') cancelRef.current?.focus();
  }, [step]);
  const onEscape = () => {
    if (step === 'applying') return;
    if (step === 'finished' || step === 'choose') close();
    else void cancel();
  };

  return (
    <dialog
      ref={ref}
      className="install-dialog"
      aria-labelledby="install-title"
      data-testid="install-dialog"
      data-step={step}
      onCancel={(e) => {
        e.preventDefault();
        onEscape();
      }}
    >
      {d && (
        <>
          <h3 id="install-title">
            {d.preflight?.summary.upgrade ? 'Upgrade' : 'Install'} “{d.serviceName}”
          </h3>
          {(step === 'choose' || step === 'planning') && (
            <div className="install-dialog__choose">
              <label htmlFor="install-cell">Cell</label>
              <select id="install-cell" data-testid="install-cell" value={d.cellId ?? ''} disabled={step === 'planning'} onChange={(e) => chooseCell(e.target.value)} autoFocus>
                <option value="" disabled>
                  {profiles.length === 0 ? 'No cells configured — add one in Cells' : 'Choose a cell…'}
                </option>
                {profiles.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({p.destination})
                  </option>
                ))}
              </select>
              <p className="muted">The image is verified fresh under the cell’s own key before anything is shown to confirm. Nothing on the cell changes until you confirm.</p>
            </div>
          )}
          {step === 'planning' && (
            <p className="install-dialog__phase" role="status" data-testid="install-phase">
              {PHASE_WORDS[d.phase ?? 'status']}…
            </p>
          )}
          {step === 'confirm' && d.preflight && <PreflightView {...d.preflight} />}
          {step === 'confirm' && review && <ReviewPanel review={review} consent={d.consent} onConsent={setConsent} />}
          {(step === 'applying' || (step === 'finished' && d.lines.length > 0)) && (
            <section aria-labelledby="install-progress-title">
              <h4 id="install-progress-title">
                {step === 'applying' ? `${PHASE_WORDS[d.phase ?? 'lock'] ?? d.phase}…` : 'Output'}
              </h4>
              <LogPane text={d.lines.join('\n') || 'Waiting for output…'} label="Install output" className="install-dialog__log" testId="install-log" />
            </section>
          )}
          {step === 'finished' && d.outcome && <InstallOutcomeView outcome={d.outcome} />}
          {error && <ErrorView error={error} title="The install could not go on" />}
          <div className="install-dialog__actions">
            {(step === 'choose' || step === 'planning') && (
              // Stays mounted and focusable while checking (aria-disabled), so focus is not lost.
              <button
                type="button"
                className="button button--primary"
                data-testid="install-check"
                disabled={!d.cellId}
                aria-disabled={step === 'planning' || undefined}
                onClick={() => {
                  if (step === 'choose') void plan();
                }}
              >
                {step === 'planning' ? 'Checking…' : 'Check and show pre-flight'}
              </button>
            )}
            {step === 'confirm' && d.preflight?.summary.decision !== 'block' && (
              <button
                type="button"
                className="button button--primary"
                data-testid="install-confirm"
                aria-disabled={!consented || undefined}
                title={consented ? undefined : 'Consent to the review above first'}
                onClick={() => {
                  if (consented) void confirm();
                }}
              >
                Confirm {d.preflight?.summary.upgrade ? 'upgrade' : 'install'}
              </button>
            )}
            {step === 'finished' ? (
              <button type="button" className="button" data-testid="install-close" autoFocus onClick={close}>
                Close
              </button>
            ) : (
              <button
                ref={cancelRef}
                type="button"
                className="button"
                data-testid="install-cancel"
                aria-disabled={d.cancelling || undefined}
                onClick={() => {
                  if (!d.cancelling) void cancel();
                }}
              >
                {d.cancelling ? 'Cancelling…' : step === 'applying' ? 'Cancel (abort)' : 'Cancel'}
              </button>
            )}
          </div>
        </>
      )}
    </dialog>
  );
}
