/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { StudioApi } from '../../preload/contract';

declare global {
  interface Window {
    studio: StudioApi;
  }
}
