import { readFileSync } from 'node:fs';

/** The package version, recorded in every article's provenance. */
export const PIPELINE_VERSION: string = (() => {
  const pkgUrl = new URL('../package.json', import.meta.url);
  const altUrl = new URL('../../package.json', import.meta.url); // when running from dist/src
  for (const url of [pkgUrl, altUrl]) {
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'copydesk' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
})();
