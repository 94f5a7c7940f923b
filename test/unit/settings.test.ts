import { loadSettings, SettingsError } from '../../src/settings';

describe('settings', () => {
  it('has the documented defaults', () => {
    const s = loadSettings({});
    expect(s).toEqual(
      expect.objectContaining({
        API_PORT: 8080,
        API_HOST: '127.0.0.1',
        TEMPORAL_ADDRESS: '127.0.0.1:7233',
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: 'idm-sync',
        MONGODB_URI: 'mongodb://127.0.0.1:27017',
        DATA_DIR: 'var/data',
        LOG_LEVEL: 'info',
        PAGE_DECIDE_AHEAD: 'on',
      }),
    );
  });

  it.each([
    ['API_PORT', 'abc'],
    ['API_PORT', '70000'],
    ['API_PORT', '1.5'],
    ['TEMPORAL_ADDRESS', 'no-port'],
    ['MONGODB_URI', 'http://x'],
    ['SECRETS_KEY', 'short'],
    ['PAGE_SIZE', '0'],
    ['PAGE_DECIDE_AHEAD', 'true'],
    ['PAGE_DECIDE_AHEAD', 'ON'],
    ['PAGE_DECIDE_AHEAD', ' on'],
    ['PAGE_DECIDE_AHEAD', 'off;rm -rf /'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadSettings({ [name]: value })).toThrow(SettingsError);
    expect(() => loadSettings({ [name]: value })).toThrow(new RegExp(`^invalid environment variable ${name}=`));
  });

  it('says what PAGE_DECIDE_AHEAD takes', () => {
    expect(() => loadSettings({ PAGE_DECIDE_AHEAD: 'yes' })).toThrow('invalid environment variable PAGE_DECIDE_AHEAD="yes": expected on or off');
    expect(loadSettings({ PAGE_DECIDE_AHEAD: 'off' }).PAGE_DECIDE_AHEAD).toBe('off');
  });

  it('treats an empty variable as unset', () => {
    expect(loadSettings({ API_PORT: '' }).API_PORT).toBe(8080);
  });
});
