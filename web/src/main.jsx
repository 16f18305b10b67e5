// Entry point: the styles and the app, rendered into #app.
import { render } from 'preact';
import './app.css';
import { App } from './app.jsx';

render(<App />, document.getElementById('app'));
