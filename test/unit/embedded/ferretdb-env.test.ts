import { ferretDebugAddr, ferretGoEnv, ferretInsertBatch } from '../../../src/embedded/ferretdb';
import { SettingsError } from '../../../src/settings';

describe('garbage collector settings of the embedded FerretDB', () => {
  it('defaults to GOGC=400 bounded by GOMEMLIMIT=1GiB, and takes the operator overrides', () => {
    expect(ferretGoEnv({})).toEqual({ GOGC: '400', GOMEMLIMIT: '1GiB' });
    expect(ferretGoEnv({ FERRETDB_GOGC: '', FERRETDB_GOMEMLIMIT: '' })).toEqual({ GOGC: '400', GOMEMLIMIT: '1GiB' });
    expect(ferretGoEnv({ FERRETDB_GOGC: '100', FERRETDB_GOMEMLIMIT: '768MiB' })).toEqual({ GOGC: '100', GOMEMLIMIT: '768MiB' });
    expect(ferretGoEnv({ FERRETDB_GOGC: 'off', FERRETDB_GOMEMLIMIT: '1073741824' })).toEqual({ GOGC: 'off', GOMEMLIMIT: '1073741824' });
  });

  it.each([
    ['FERRETDB_GOGC', '-1'],
    ['FERRETDB_GOGC', '0'],
    ['FERRETDB_GOGC', '4e2'],
    ['FERRETDB_GOGC', '400; rm -rf /'],
    ['FERRETDB_GOGC', '1234567'],
    ['FERRETDB_GOMEMLIMIT', '1 GiB'],
    ['FERRETDB_GOMEMLIMIT', '1GB'],
    ['FERRETDB_GOMEMLIMIT', '-5MiB'],
    ['FERRETDB_GOMEMLIMIT', '0'],
    ['FERRETDB_GOMEMLIMIT', '1GiB\n'],
  ])('refuses %s=%j, naming the variable and the expected form', (name, value) => {
    expect(() => ferretGoEnv({ [name]: value })).toThrow(SettingsError);
    expect(() => ferretGoEnv({ [name]: value })).toThrow(new RegExp(`^invalid environment variable ${name}=.*: expected`));
  });
});

describe('profiling address of the embedded FerretDB', () => {
  it('is off unless FERRETDB_DEBUG_ADDR gives a host:port', () => {
    expect(ferretDebugAddr({})).toBe('-');
    expect(ferretDebugAddr({ FERRETDB_DEBUG_ADDR: '127.0.0.1:6060' })).toBe('127.0.0.1:6060');
    expect(ferretDebugAddr({ FERRETDB_DEBUG_ADDR: '[::1]:6060' })).toBe('[::1]:6060');
  });

  it.each(['6060', 'localhost', '127.0.0.1:6060 --telemetry=enable', 'a b:1', '127.0.0.1:123456'])('refuses FERRETDB_DEBUG_ADDR=%j', (value) => {
    expect(() => ferretDebugAddr({ FERRETDB_DEBUG_ADDR: value })).toThrow(/^invalid environment variable FERRETDB_DEBUG_ADDR=.*: expected host:port/);
  });
});

describe('insert batch of the embedded FerretDB', () => {
  it('is 10,000 documents per SQLite transaction unless FERRETDB_INSERT_BATCH gives 1 to 100,000', () => {
    expect(ferretInsertBatch({})).toBe(10_000);
    expect(ferretInsertBatch({ FERRETDB_INSERT_BATCH: '' })).toBe(10_000);
    expect(ferretInsertBatch({ FERRETDB_INSERT_BATCH: '1' })).toBe(1);
    expect(ferretInsertBatch({ FERRETDB_INSERT_BATCH: '100000' })).toBe(100_000);
  });

  it.each(['0', '-5', '100001', '999999', '1e4', '10000 --telemetry=enable', '10,000', '0x10', ' 100', '2000\n'])('refuses FERRETDB_INSERT_BATCH=%j', (value) => {
    expect(() => ferretInsertBatch({ FERRETDB_INSERT_BATCH: value })).toThrow(SettingsError);
    expect(() => ferretInsertBatch({ FERRETDB_INSERT_BATCH: value })).toThrow(/^invalid environment variable FERRETDB_INSERT_BATCH=.*: expected a number of documents from 1 to 100000/);
  });
});
