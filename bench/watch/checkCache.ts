// The correctness check of the watch benchmark: a contender's final cache against the server's.

/** Throws unless `entries` holds exactly the objects of `expected`, at their resourceVersions. */
export function checkCache(
  label: string,
  entries: Array<[string, string]>,
  expected: Record<string, string>,
): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [name, resourceVersion] of entries) {
    if (seen.has(name)) problems.push(`${name} twice`);
    seen.add(name);
    const want = expected[name];
    if (want === undefined) problems.push(`${name} is not on the server`);
    else if (want !== resourceVersion) {
      problems.push(`${name} at resourceVersion ${resourceVersion}, server has ${want}`);
    }
  }
  const expectedCount = Object.keys(expected).length;
  if (entries.length !== expectedCount) {
    problems.unshift(`${entries.length} objects cached, server has ${expectedCount}`);
  }
  if (problems.length > 0) {
    throw new Error(`${label}: cache differs from the server: ${problems.slice(0, 5).join('; ')}`);
  }
}
