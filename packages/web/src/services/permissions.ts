import { PERMISSIONS as ALL } from '@opencar/oauth';

/** Permission names an app may request (wire-contract §4): the one list Connect accepts, split for the form. */
export const PERMISSIONS: readonly string[] = ALL;
export const READ_PERMISSIONS: readonly string[] = ALL.filter((p) => p.startsWith('read_'));
export const CONTROL_PERMISSIONS: readonly string[] = ALL.filter((p) => p.startsWith('control_'));
export const APP_MODES = ['live', 'simulated', 'test'] as const;
export type AppMode = (typeof APP_MODES)[number];
