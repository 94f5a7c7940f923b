// Integration tests drive real servers and whole task runs: give each test two minutes (jest's testTimeout is
// global-only, so the integration project sets it here).
jest.setTimeout(120_000);
