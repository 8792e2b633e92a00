// Kept in step with package.json by hand: a JSON import would pull the whole manifest into the bundle.
export const PACKAGE_NAME = '@costtrace/instrumentation-bedrock';
export const PACKAGE_VERSION = '0.1.0';
