// Kept in step with package.json by hand; the meter's instrumentation scope.
export const PACKAGE_NAME = '@costtrace/cost-span-processor';
export const PACKAGE_VERSION = '0.1.0';
