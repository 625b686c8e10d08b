import type { Translate } from '../i18n/index.js';
import type { CopyWords } from './components.js';

/** The words of a copy button for `what` ("Copy" / "Copied" / "client id") in the page's language. */
export const copyWords = (t: Translate, what: string): CopyWords => ({ copy: t('common.copy'), copied: t('common.copied'), what });
