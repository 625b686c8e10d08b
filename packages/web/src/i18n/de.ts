import { en, type MessageKey } from './en.js';

/** TODO(h5): translate. */
export const de: Record<MessageKey, string> = { ...en };
