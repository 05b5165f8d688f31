import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultEnvtestAssetsDir,
  envtestAssetsSearchPath,
  findEnvtestAssets,
} from './envtestAssets.js';

function assetsDir(binaries: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-rx-assets-'));
  for (const name of binaries) {
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('findEnvtestAssets', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('takes KUBEBUILDER_ASSETS (setup-envtest layout) when it holds both binaries', () => {
    const dir = assetsDir(['kube-apiserver', 'etcd']);
    dirs.push(dir);
    expect(findEnvtestAssets({ KUBEBUILDER_ASSETS: dir, HOME: '/nonexistent' })).toEqual({
      dir,
      kubeApiserver: join(dir, 'kube-apiserver'),
      etcd: join(dir, 'etcd'),
      source: 'KUBEBUILDER_ASSETS',
    });
  });

  it('looks only in KUBE_RX_ENVTEST_ASSETS when that is set', () => {
    const complete = assetsDir(['kube-apiserver', 'etcd']);
    const partial = assetsDir(['etcd']);
    dirs.push(complete, partial);
    expect(
      envtestAssetsSearchPath({ KUBE_RX_ENVTEST_ASSETS: partial, KUBEBUILDER_ASSETS: complete }),
    ).toEqual([{ dir: partial, source: 'KUBE_RX_ENVTEST_ASSETS' }]);
    expect(
      findEnvtestAssets({ KUBE_RX_ENVTEST_ASSETS: partial, KUBEBUILDER_ASSETS: complete }),
    ).toBeUndefined();
    expect(findEnvtestAssets({ KUBE_RX_ENVTEST_ASSETS: complete })?.source).toBe(
      'KUBE_RX_ENVTEST_ASSETS',
    );
  });

  it('falls back to the default cache directory of npm run envtest:setup', () => {
    expect(envtestAssetsSearchPath({}).map((entry) => entry.source)).toEqual(['default']);
    expect(defaultEnvtestAssetsDir()).toMatch(/\.cache\/kube-rx\/envtest\/v1\.37\.2$/);
  });
});
