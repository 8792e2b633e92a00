export const PACKAGE_NAME = '@costtrace/instrumentation-fetch';
export const PACKAGE_VERSION = '0.1.0';
