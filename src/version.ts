import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './embedded/paths';

const pkg = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { name: string; version: string };

/** The `appId` of every error representation: service name and version. */
export const APP_ID = `${pkg.name}-v${pkg.version}`;
