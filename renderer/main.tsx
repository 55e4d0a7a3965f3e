// Entry point of the renderer bundle (dist/renderer/app.js): creates the shared clients and
// renders the app into #root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createServices, ServicesContext } from './hooks/services';
import '@xterm/xterm/css/xterm.css';
import './styles.css';

const services = createServices(location);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ServicesContext.Provider value={services}>
      <App />
    </ServicesContext.Provider>
  </StrictMode>,
);
