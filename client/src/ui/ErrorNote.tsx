// Kept for the screens that import it from here; the note lives in forms.tsx.
export { ErrorNote } from './forms.js';
