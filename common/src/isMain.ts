import { pathToFileURL } from 'node:url';

/** True when the module at `moduleUrl` is the script node was started with (a CLI entry point). */
export const isMain = (moduleUrl: string): boolean =>
  process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
