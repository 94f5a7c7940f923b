import { ferretDebugAddr, ferretGoEnv, ferretInsertBatch } from './embedded/ferretdb';
import { loadSettingsOrExit, orExitOnSettingsError } from './settings';

// Validates the environment and exits 1 with one line when a setting is wrong (npm start calls it first), the
// embedded FerretDB's settings included.
loadSettingsOrExit();
orExitOnSettingsError(() => {
  ferretGoEnv();
  ferretDebugAddr();
  ferretInsertBatch();
});
