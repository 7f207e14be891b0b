import { render } from 'preact';
// The widget's look (palette, buttons, fields, comments), then the dashboard's own layout on top.
import '../widget/styles.css';
import '../widget/styles-more.css';
import './styles.css';
import { App } from './app.tsx';

// The widget's palette switches on `.p` and `.dark`; the dashboard follows the system's colour scheme.
const scheme = matchMedia('(prefers-color-scheme: dark)');
const applyScheme = () => {
  document.body.className = scheme.matches ? 'p dark' : 'p';
};
applyScheme();
scheme.addEventListener('change', applyScheme);

const root = document.getElementById('app');
if (root) render(<App />, root);
