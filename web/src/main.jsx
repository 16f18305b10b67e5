// Entry point: the styles and the app, rendered into #app.
import { render } from 'preact';
import './app.css';
import { App } from './app.jsx';
import { startTheme } from './theme.js';

startTheme();

render(<App />, document.getElementById('app'));
