import { version } from '../../package.json';

/** This build's version, from package.json. */
export const APP_VERSION: string = version;
