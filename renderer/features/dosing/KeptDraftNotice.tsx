/** Moved to renderer/app (every screen that keeps typed text offers it back the same way). */
export { KeptDraftNotice } from '../../app/KeptDraftNotice';
