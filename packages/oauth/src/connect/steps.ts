import type { Flow, Step } from './flow.js';

/**
 * The steps of a flow in order, each with its own URL (`/connect/<flowId>/<step>`), so the page's
 * Back control and the browser's Back button both return to the previous step and keep the flow.
 * The brand list is a step only when the app did not name the brand (`make`).
 */
export type PageStep = 'preamble' | 'brand' | 'login' | 'consent';
export const PAGE_STEPS: readonly PageStep[] = ['preamble', 'brand', 'login', 'consent'];

export const isPageStep = (s: Step): s is PageStep => (PAGE_STEPS as readonly string[]).includes(s);

/** The steps this flow goes through (a re-authentication signs in, after the brand list unless the brand is known). */
export function stepsOf(flow: Flow): PageStep[] {
  const d = flow.data;
  if (d.kind === 'battery') return [];
  if (d.kind === 'reauth') return d.makeFixed ? ['login'] : ['brand', 'login'];
  return d.makeFixed ? ['preamble', 'login', 'consent'] : ['preamble', 'brand', 'login', 'consent'];
}

/** Where the flow is now: its step's page, or the flow's own URL for error and battery pages. */
export function stepUrl(flow: Flow, step: Step = flow.data.step): string {
  return isPageStep(step) && stepsOf(flow).includes(step) ? `/connect/${flow.id}/${step}` : `/connect/${flow.id}`;
}

/** The step before the current one, when there is one to go back to. */
export function previousStep(flow: Flow): PageStep | undefined {
  const steps = stepsOf(flow);
  const i = steps.indexOf(flow.data.step as PageStep);
  return i > 0 ? steps[i - 1] : undefined;
}

/** True when the flow has reached `step` (it is the current step or one before it). */
export function reached(flow: Flow, step: PageStep): boolean {
  const steps = stepsOf(flow);
  const at = steps.indexOf(flow.data.step as PageStep);
  const i = steps.indexOf(step);
  return i >= 0 && at >= 0 && i <= at;
}
