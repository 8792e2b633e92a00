import { packageBuild } from '../../scripts/tsup-package';

// cli.ts is the `costtrace-fake-llm` binary.
export default packageBuild({ entry: ['src/index.ts', 'src/cli.ts'] });
