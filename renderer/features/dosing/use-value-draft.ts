/** Moved to renderer/app (notes, measures and schedule keep typed text with it too). */
export { useValueDraft } from '../../app/use-value-draft';
