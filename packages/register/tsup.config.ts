import { packageBuild } from '../../scripts/tsup-package';

export default packageBuild({
  // `register` is the side-effect entry behind `node --import/--require @costtrace/register`;
  // `setup` is the function form and classes for users who build their own NodeSDK.
  entry: { register: 'src/register.ts', setup: 'src/setup.ts' },
  // import.meta.url in the CommonJS build (the loader hook's parent URL, createRequire).
  shims: true,
});
