// After `npm run build`: every package must import by name from plain Node, without the
// `@kube-rx/source` condition, i.e. from its compiled dist/. (`npm run check:packages` checks
// the packed tarballs themselves.)
const packages = ['core', 'watcher', 'controller', 'testing'];
for (const name of packages) {
  const module = await import(`@kube-rx/${name}`);
  const exports = Object.keys(module);
  if (exports.length === 0) throw new Error(`@kube-rx/${name} exports nothing`);
  console.log(`@kube-rx/${name}: ${exports.length} exports`);
}
