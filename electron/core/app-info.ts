import pkg from '../../package.json';

/** The app's version, as receipts and the About panel report it. */
export const APP_VERSION: string = pkg.version;
export const APP_NAME: string = pkg.productName;
