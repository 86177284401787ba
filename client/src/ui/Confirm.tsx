// Kept for the screens that import it from here; the dialog lives in forms.tsx.
export { Confirm } from './forms.js';
