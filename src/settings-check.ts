import { ferretDebugAddr, ferretGoEnv } from './embedded/ferretdb';
import { loadSettingsOrExit, SettingsError } from './settings';

// Validates the environment and exits 1 with one line when a setting is wrong (npm start calls it first), the
// embedded FerretDB's settings included.
loadSettingsOrExit();
try {
  ferretGoEnv();
  ferretDebugAddr();
} catch (e) {
  if (!(e instanceof SettingsError)) throw e;
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
}
