import { loadSettingsOrExit } from './settings';

// Validates the environment and exits 1 with one line when a setting is wrong (npm start calls it first).
loadSettingsOrExit();
