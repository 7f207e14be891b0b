import { addSheet } from './sheets.ts';
import css from './styles-more.css?inline';

// The styles of what the chunks show, adopted once, by whichever chunk comes first.
addSheet(css);
