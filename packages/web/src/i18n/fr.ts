import { en, type MessageKey } from './en.js';

/** TODO(h5): translate. */
export const fr: Record<MessageKey, string> = { ...en };
