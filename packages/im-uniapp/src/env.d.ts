/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
interface ImportMetaEnv {
  /** Server origin (`https://im.example.com`); empty = the page's origin (H5). */
  readonly VITE_IM_SERVER?: string;
}
