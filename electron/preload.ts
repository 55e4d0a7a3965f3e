// Preload of the dashboard window (sandboxed, bundled to CommonJS as sandboxed preloads must be).
//
// It exposes nothing, on purpose: the renderer reaches the engine only over HTTP and WebSocket
// on the dashboard server (engine/dashboard/contract.ts), exactly as it does in a browser under
// `kubelab dashboard`, so no Electron or Node API is bridged into the page. Should the desktop
// ever need something a web page cannot do, expose one narrow named function here with
// contextBridge.exposeInMainWorld('kubelab', { … }) backed by a validated ipcMain handler — never
// ipcRenderer itself.
export {};
