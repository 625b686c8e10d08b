import { en, type MessageKey } from './en.js';

/** TODO(h5): translate. */
export const es: Record<MessageKey, string> = { ...en };
