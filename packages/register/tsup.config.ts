import { defineConfig } from 'tsup';

export default defineConfig({
  // `register` is the side-effect entry behind `node --import/--require @costtrace/register`;
  // `setup` is the function form and classes for users who build their own NodeSDK.
  entry: { register: 'src/register.ts', setup: 'src/setup.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  shims: true,
});
