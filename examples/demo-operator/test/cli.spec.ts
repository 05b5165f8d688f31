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

  it.each([
    [['--bogus'], /^Unknown option '--bogus'/],
    [['--duration'], /^Option '--duration <value>' argument missing$/],
    [['--duration', '-5'], /^Option '--duration' argument is ambiguous\. Did you forget/],
    [['--duration=-5'], /^--duration must be a number of seconds > 0, got -5$/],
    [['--log-format', 'xml'], /^--log-format must be pretty, json or auto, got xml$/],
    [['stray'], /positional/i],
  ])('%j is a one-line TypeError', (args, message) => {
    let thrown: unknown;
    try {
      parseCli(args);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });
});
