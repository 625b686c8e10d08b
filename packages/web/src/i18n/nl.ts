import { en, type MessageKey } from './en.js';

/** TODO(h5): translate. */
export const nl: Record<MessageKey, string> = { ...en };
