import { afterEach, describe, expect, it } from 'vitest';
import { recordingDiag } from '@costtrace/testing';
import { clearUnpatchedModules, patchSupportedVersion, unpatchedModules, type SupportedModule } from '../src/index';

const SDK: SupportedModule = { name: 'some-sdk', supportedVersions: '>=1 <2', isSupported: (v) => v?.startsWith('1.') === true };

describe('patchSupportedVersion', () => {
  afterEach(() => clearUnpatchedModules());

  it('patches a supported version, with nothing logged or reported', () => {
    const diag = recordingDiag();
    let patched = 0;
    expect(patchSupportedVersion(diag, SDK, '1.2.3', () => void patched++)).toBe(true);
    expect([patched, diag.warnings, diag.errors, unpatchedModules()]).toEqual([1, [], [], []]);
  });

  it('leaves an unsupported or unreadable version unpatched: one warning and a report each', () => {
    const diag = recordingDiag();
    let patched = 0;
    expect(patchSupportedVersion(diag, SDK, '2.0.0', () => void patched++)).toBe(false);
    expect(patchSupportedVersion(diag, SDK, undefined, () => void patched++)).toBe(false);
    expect(patched).toBe(0);
    expect(diag.warnings).toEqual([
      ['some-sdk left unpatched: version 2.0.0 is outside the supported range >=1 <2; its calls are neither traced nor budgeted'],
      ['some-sdk left unpatched: version unknown is outside the supported range >=1 <2; its calls are neither traced nor budgeted'],
    ]);
    expect(unpatchedModules()).toEqual([
      { module: 'some-sdk', version: '2.0.0', reason: 'version 2.0.0 is outside the supported range >=1 <2' },
      { module: 'some-sdk', version: undefined, reason: 'version unknown is outside the supported range >=1 <2' },
    ]);
  });

  it('reports a patch that throws, with one error, and does not throw itself', () => {
    const diag = recordingDiag();
    const failure = new TypeError('no prototype');
    expect(
      patchSupportedVersion(diag, SDK, '1.0.0', () => {
        throw failure;
      }),
    ).toBe(false);
    expect(diag.errors).toEqual([['could not patch some-sdk; its calls are not traced', failure]]);
    expect(unpatchedModules()).toEqual([{ module: 'some-sdk', version: '1.0.0', reason: 'patching failed' }]);
  });
});
