/** Browser implementations of the core's platform interfaces (DOM required). */
export * from './rtc-media';
