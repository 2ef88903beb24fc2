/**
 * The web host's stand-in for Electron's preload: defines `window.studio` over the socket
 * transport (calls as binary frames over the page's WebSocket, HTTP until it opens).
 * Authentication rides on the cookie the host set when the tokened URL was opened, so this
 * script never sees the token.
 */
import { createStudioApi } from './contract';
import { createSocketTransport } from './socket-transport';

const transport = createSocketTransport({
  base: new URL(location.href),
  openSocket: (url) => new WebSocket(url),
  fetch: (input, init) => fetch(input, init),
  later: (run, ms) => setTimeout(run, ms),
});

window.studio = createStudioApi({ ...transport, getPathForFile: () => null });
