import { packageBuild } from '../../scripts/tsup-package';

// gpt-tokenizer is loaded lazily with a require made from import.meta.url.
export default packageBuild({ shims: true });
