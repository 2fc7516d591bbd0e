/** Version sent in the frontend `hello`; keep it equal to labextension/package.json's version. */
export const EXTENSION_VERSION = '0.1.0';
