import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// antd's own reset (body margin 0, border-box): without it the body kept the browser's 8 px margin,
// which a drawer's scroll lock (body width 100%) pushed past a phone's edge.
import 'antd/dist/reset.css';
import { App } from './app/App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
