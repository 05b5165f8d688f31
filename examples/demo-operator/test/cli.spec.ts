import { parseCli } from '../src/cli.js';

describe('demo operator command line', () => {
  const saved = process.env['KUBECONFIG'];
  afterEach(() => {
    if (saved === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = saved;
  });

  it('runs the embedded demo even when KUBECONFIG is exported', () => {
    process.env['KUBECONFIG'] = '/home/someone/.kube/config';
    const options = parseCli([]);
    expect(options.kubeconfig).toBeUndefined();
    expect(options.durationMs).toBe(20_000);
  });

  it('runs against a cluster only when --kubeconfig is given', () => {
    const options = parseCli(['--kubeconfig', '/tmp/cluster.kubeconfig']);
    expect(options.kubeconfig).toBe('/tmp/cluster.kubeconfig');
    expect(options.durationMs).toBeUndefined();
  });
});
