import { packageBuild } from '../../scripts/tsup-package';

// cli.ts is the `costtrace` binary.
export default packageBuild({ entry: ['src/index.ts', 'src/cli.ts'] });
